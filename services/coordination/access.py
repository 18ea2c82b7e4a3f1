"""Who may do what in the coordination service.

Roles (from the bearer token, shared/auth.py):

- ``coordinator``: the district's WIR coordination office. Keeps the network of actors and
  their contact persons (and erases a contact on request), the working groups with their
  members, meetings and action items, and everything of part 2 (specialist days, measures,
  the activity report).
- ``case_manager``: reads the network (actors, without their contact persons' details
  unless they ask for one actor's) to find a partner for a referral; reads the working
  groups they are a member of and records the action items they own as done.
- ``admin``: the audit log (shared/audit_api.py).
- Every other role gets 403.

A working group, meeting or action item the user may not see answers 404, exactly like one
that does not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.auth import Actor, Role, allow
from shared.problems import ProblemError

#: The coordination office itself.
Coordinator = Annotated[Actor, Depends(allow(Role.coordinator))]
#: Who may read the network of actors: the office and the district's case managers.
NetworkReader = Annotated[Actor, Depends(allow(Role.coordinator, Role.case_manager))]
#: Who may open working groups' pages: the office, and case managers who are members.
GroupReader = Annotated[Actor, Depends(allow(Role.coordinator, Role.case_manager))]


def denied(detail: str) -> ProblemError:
    return ProblemError(403, "Not allowed", detail)
