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

from services.coordination.groups.commands import GroupCommand
from services.coordination.groups.models import ActionItem, GroupMember, WorkingGroup
from shared.auth import Actor, Role, allow
from shared.contracts.coordination import MemberKind, OwnerKind
from shared.deps import IdempotencyKey, SessionDep, TemporalDep
from shared.problems import ProblemError, not_found

#: The coordination office itself.
Coordinator = Annotated[Actor, Depends(allow(Role.coordinator))]
#: Who may read the network of actors: the office and the district's case managers.
NetworkReader = Annotated[Actor, Depends(allow(Role.coordinator, Role.case_manager))]
#: Who may open working groups' pages: the office, and case managers who are members.
GroupReader = Annotated[Actor, Depends(allow(Role.coordinator, Role.case_manager))]


def denied(detail: str) -> ProblemError:
    return ProblemError(403, "Not allowed", detail)


async def visible_group(group_id: str, session: SessionDep, actor: GroupReader) -> WorkingGroup:
    """The group of the path: any for the office, for a case manager only one whose staff
    member they are (else 404, as if it did not exist)."""
    group = await session.get(WorkingGroup, group_id)
    if group is not None and actor.has(Role.coordinator):
        return group
    if group is not None:
        key = (group.id, MemberKind.staff.value, actor.user)
        if await session.get(GroupMember, key) is not None:
            return group
    raise not_found("working group", group_id)


VisibleGroup = Annotated[WorkingGroup, Depends(visible_group)]


async def group_command(
    group: VisibleGroup,
    actor: Coordinator,
    session: SessionDep,
    client: TemporalDep,
    idempotency_key: IdempotencyKey = None,
) -> GroupCommand:
    return GroupCommand(session, client, group.id, actor, idempotency_key)


async def item_command(
    item_id: str,
    group: VisibleGroup,
    actor: GroupReader,
    session: SessionDep,
    client: TemporalDep,
    idempotency_key: IdempotencyKey = None,
) -> GroupCommand:
    """The office, or the member of staff who owns the action item."""
    item = await session.get(ActionItem, item_id)
    if item is None or item.group_id != group.id:
        raise not_found("action item", item_id)
    owner = item.owner_kind == OwnerKind.staff.value and item.owner_id == actor.user
    if not (actor.has(Role.coordinator) or owner):
        raise denied("Only the coordination office or the item's owner marks it done.")
    return GroupCommand(session, client, group.id, actor, idempotency_key)


#: A command on a working group, by the coordination office.
GroupCommandDep = Annotated[GroupCommand, Depends(group_command)]
#: Marking an action item done: the office or the item's owner.
ItemCommandDep = Annotated[GroupCommand, Depends(item_command)]


def member_filter(actor: Actor) -> str | None:
    """Whose groups a list shows: all for the office, a case manager's own otherwise."""
    return None if actor.has(Role.coordinator) else actor.user
