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
from services.coordination.fachtage.service import FachtagCommand
from shared.auth import Actor, Role, allow
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


async def office_command(
    day: VisibleFachtag,
    actor: Coordinator,
    session: SessionDep,
    client: TemporalDep,
    idempotency_key: IdempotencyKey = None,
) -> FachtagCommand:
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
