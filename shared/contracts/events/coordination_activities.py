"""Events of the coordination office's activities (``wir.coordination.*``): specialist
days (Fachtage) with registration and waiting list, intercultural-opening measures and the
year's activity report (issue 15, part 2; the working groups' are in ``coordination.py``).

The same rules: ids, codes, counts and dates only; no contact person's or participant's
personal data; refugees only as case ids.
"""

from __future__ import annotations
