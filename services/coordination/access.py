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

from services.coordination.fachtage.models import Fachtag, FachtagParticipant
from services.coordination.fachtage.service import FachtagCommand, refuse_if_cancelled
from services.coordination.groups.commands import GroupCommand
from services.coordination.groups.models import ActionItem, GroupMember, WorkingGroup
from shared.auth import Actor, Role, allow
from shared.contracts.coordination import MemberKind, OwnerKind
from shared.contracts.coordination_activities import ParticipantKind
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


# --- Fachtage (specialist days and information events) ----------------------------------
#
# The office plans and runs the days and registers contact persons and staff. A refugee is
# registered by case id only, and only by a case manager (the coordinator cannot): the
# service records who registered them and shows the case id to that case manager alone.
# Whether the case manager may see that case is the cases service's to know: it adds the
# participation to the case's history only when the registering case manager holds the
# case or it is shared with them (services/cases/coordination.py). Case managers see every
# day (to register their clients) and only their own registrations on it.

#: Who may see the days: the office and the case managers.
FachtagReader = Annotated[Actor, Depends(allow(Role.coordinator, Role.case_manager))]


async def visible_fachtag(fachtag_id: str, session: SessionDep, actor: FachtagReader) -> Fachtag:
    day = await session.get(Fachtag, fachtag_id)
    if day is None:
        raise not_found("event", fachtag_id)
    return day


VisibleFachtag = Annotated[Fachtag, Depends(visible_fachtag)]


async def cancellation_command(
    actor: Coordinator,  # first: the role is checked before the day is looked up
    day: VisibleFachtag,
    session: SessionDep,
    client: TemporalDep,
    idempotency_key: IdempotencyKey = None,
) -> FachtagCommand:
    """Cancelling the day: the office (a repeat is the use case's to answer)."""
    return FachtagCommand(
        session=session, client=client, day=day, actor=actor, idempotency_key=idempotency_key
    )


async def office_command(
    actor: Coordinator,  # first: the role is checked before the day is looked up
    day: VisibleFachtag,
    session: SessionDep,
    client: TemporalDep,
    idempotency_key: IdempotencyKey = None,
) -> FachtagCommand:
    refuse_if_cancelled(day)
    return FachtagCommand(
        session=session, client=client, day=day, actor=actor, idempotency_key=idempotency_key
    )


async def registrar_command(
    day: VisibleFachtag,
    actor: FachtagReader,
    session: SessionDep,
    client: TemporalDep,
    idempotency_key: IdempotencyKey = None,
) -> FachtagCommand:
    refuse_if_cancelled(day)
    return FachtagCommand(
        session=session, client=client, day=day, actor=actor, idempotency_key=idempotency_key
    )


def check_registrar(actor: Actor, kind: ParticipantKind) -> None:
    """Refugees by their case manager only; contact persons and staff by the office."""
    if kind is ParticipantKind.refugee:
        if not actor.has(Role.case_manager):
            raise denied("A refugee is registered by their case manager, by case id.")
    elif not actor.has(Role.coordinator):
        raise denied("Contact persons and staff are registered by the coordination office.")


async def participant_command(
    participant_id: str, cmd: Annotated[FachtagCommand, Depends(registrar_command)]
) -> FachtagCommand:
    """Cancel: the office, or the case manager who registered the participant (404 for
    anyone else's)."""
    row = await cmd.session.get(FachtagParticipant, participant_id)
    if row is None or row.fachtag_id != cmd.day.id or not may_see_participant(cmd.actor, row):
        raise not_found("participant", participant_id)
    return cmd


def may_see_participant(actor: Actor, row: FachtagParticipant) -> bool:
    return actor.has(Role.coordinator) or row.registered_by == actor.user


#: A command of the office on one day.
OfficeCommandDep = Annotated[FachtagCommand, Depends(office_command)]
#: A registration (the route checks the kind against the role: ``check_registrar``).
RegistrarCommandDep = Annotated[FachtagCommand, Depends(registrar_command)]
#: A cancellation of one registration.
ParticipantCommandDep = Annotated[FachtagCommand, Depends(participant_command)]
#: Calling the whole day off (the office; no other command once it is).
CancellationCommandDep = Annotated[FachtagCommand, Depends(cancellation_command)]
