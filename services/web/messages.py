"""The message ids the web front end uses: ``_("…")`` in templates, ``N_("…")`` in code.

The catalogue test (tests/unit/test_web_messages.py) checks that each has a translation in
every language; a new text without one fails it.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).parent
IN_TEMPLATES = re.compile(r"""\b_\(\s*(["'])(.+?)(?<!\\)\1""")
IN_CODE = re.compile(r"""\bN_\(\s*(["'])(.+?)(?<!\\)\1\s*\)""")


def used_message_ids() -> set[str]:
    found: set[str] = set()
    for path in (HERE / "templates").rglob("*.html"):
        found |= {match[1] for match in IN_TEMPLATES.findall(path.read_text(encoding="utf-8"))}
    for path in HERE.rglob("*.py"):
        if path.name == "messages.py":
            continue
        found |= {match[1] for match in IN_CODE.findall(path.read_text(encoding="utf-8"))}
    return found
