"""HTTP routes of the specialist days and information events (Fachtage): thin, each calls
one use case. Who may do what: ``services/coordination/access.py``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from services.coordination.access import (
    CancellationCommandDep,
    Coordinator,
    FachtagReader,
    OfficeCommandDep,
    ParticipantCommandDep,
    RegistrarCommandDep,
    VisibleFachtag,
    check_registrar,
)
from services.coordination.fachtage import queries, service
from services.coordination.fachtage.schemas import (
    AttendanceIn,
    CancellationIn,
    DocumentationIn,
    FachtagIn,
    FachtagLevel,
    FachtagOut,
    FachtagSummary,
    InvitationsIn,
    ParticipantIn,
)
from services.coordination.fachtage.service import FachtagCommand
from shared.contracts.coordination_activities import (
    AttendanceCommand,
    CancelCommand,
    FachtagStage,
    FachtagUpdates,
    InviteCommand,
    RegisterCommand,
    StageCommand,
)
from shared.deps import IdempotencyKey, SessionDep, SettingsDep, TemporalDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["fachtage"])


async def _out(cmd: FachtagCommand) -> FachtagOut:
    return await queries.fachtag_out(session=cmd.session, day=cmd.day, viewer=cmd.actor)


@router.post("/fachtage", status_code=status.HTTP_201_CREATED, response_model=FachtagOut)
async def plan_fachtag(
    body: FachtagIn,
    actor: Coordinator,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> FachtagOut:
    """Plan a specialist day or information event; starts its workflow (stage `planned`)."""
    day, created = await service.plan(
        session=session,
        client=client,
        settings=settings,
        actor=actor,
        data=body,
        idempotency_key=idempotency_key,
    )
    if not created:  # the same Idempotency-Key again: the day planned first
        response.status_code = status.HTTP_200_OK
    return await queries.fachtag_out(session=session, day=day, viewer=actor)


@router.get("/fachtage", response_model=Page[FachtagSummary])
async def list_fachtage(
    actor: FachtagReader,
    session: SessionDep,
    page: PageDep,
    stage: Annotated[FachtagStage | None, Query(description="Only days in this stage")] = None,
    level: Annotated[FachtagLevel | None, Query(description="Only days of this level")] = None,
) -> Page[FachtagSummary]:
    """Every day, newest first (case managers see them too, to register their clients)."""
    items, total = await queries.fachtage_page(session=session, page=page, stage=stage, level=level)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/fachtage/{fachtag_id}", response_model=FachtagOut)
async def get_fachtag(day: VisibleFachtag, actor: FachtagReader, session: SessionDep) -> FachtagOut:
    """The day; a case manager sees only the participants they registered."""
    return await queries.fachtag_out(session=session, day=day, viewer=actor)


@router.post("/fachtage/{fachtag_id}/invitations", response_model=FachtagOut)
async def send_invitations(body: InvitationsIn, cmd: OfficeCommandDep) -> FachtagOut:
    """Invite the contact persons of these institutions (stage `invitations_sent`)."""
    await service.check_actors(session=cmd.session, actor_ids=body.actor_ids)
    command = InviteCommand(actor=cmd.actor.user, actor_ids=body.actor_ids)
    await service.send(cmd=cmd, update=FachtagUpdates.send_invitations, command=command)
    return await _out(cmd)


@router.post("/fachtage/{fachtag_id}/registration/open", response_model=FachtagOut)
async def open_registration(cmd: OfficeCommandDep) -> FachtagOut:
    command = StageCommand(actor=cmd.actor.user)
    await service.send(cmd=cmd, update=FachtagUpdates.open_registration, command=command)
    return await _out(cmd)


@router.post("/fachtage/{fachtag_id}/registration/close", response_model=FachtagOut)
async def close_registration(cmd: OfficeCommandDep) -> FachtagOut:
    """Close the registration before its closing time (it closes by itself then)."""
    command = StageCommand(actor=cmd.actor.user)
    await service.send(cmd=cmd, update=FachtagUpdates.close_registration, command=command)
    return await _out(cmd)


@router.post("/fachtage/{fachtag_id}/participants", response_model=FachtagOut)
async def register(body: ParticipantIn, cmd: RegistrarCommandDep) -> FachtagOut:
    """Register a participant: a place while there is one, else the waiting list. A
    refugee by `case_id` only, by their case manager."""
    check_registrar(cmd.actor, body.kind)
    await service.check_contact(session=cmd.session, kind=body.kind, ref=body.ref)
    participant_id = str(uuid.uuid4())
    command = RegisterCommand(
        actor=cmd.actor.user, participant_id=participant_id, kind=body.kind, ref=body.ref
    )
    record = service.keep_ref(cmd.session, body.ref)
    await service.send(cmd=cmd, update=FachtagUpdates.register, command=command, record=record)
    return await _out(cmd)


@router.post(
    "/fachtage/{fachtag_id}/participants/{participant_id}/cancellation",
    response_model=FachtagOut,
)
async def cancel(participant_id: str, cmd: ParticipantCommandDep) -> FachtagOut:
    """Cancel a registration; a freed place goes to the first on the waiting list."""
    command = CancelCommand(actor=cmd.actor.user, participant_id=participant_id)
    await service.send(cmd=cmd, update=FachtagUpdates.cancel, command=command)
    return await _out(cmd)


@router.post("/fachtage/{fachtag_id}/attendance", response_model=FachtagOut)
async def record_attendance(body: AttendanceIn, cmd: OfficeCommandDep) -> FachtagOut:
    """Who came (stage `held`); the documentation is due from now on."""
    command = AttendanceCommand(actor=cmd.actor.user, attended=body.attended)
    await service.send(cmd=cmd, update=FachtagUpdates.record_attendance, command=command)
    return await _out(cmd)


@router.post("/fachtage/{fachtag_id}/documentation", response_model=FachtagOut)
async def document(body: DocumentationIn, cmd: OfficeCommandDep) -> FachtagOut:
    """The day's documentation (stage `documented`; the reminders stop)."""
    await service.document(cmd=cmd, text=body.text)
    return await _out(cmd)


@router.post("/fachtage/{fachtag_id}/cancellation", response_model=FachtagOut)
async def cancel_fachtag(body: CancellationIn, cmd: CancellationCommandDep) -> FachtagOut:
    """Call the day off before it is held (stage `cancelled`): everyone registered or on
    the waiting list is told, and the day takes no more commands (409)."""
    await service.cancel(cmd=cmd, reason=body.reason)
    return await _out(cmd)
