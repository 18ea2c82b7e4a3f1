"""Use cases of the Fachtage: planning a day (which starts its workflow) and the one path
every later command takes (shared/gateway.py), keyword-only like everywhere else."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)

from services.coordination.actors.models import ContactPerson, NetworkActor
from services.coordination.fachtage.models import Fachtag, FachtagParticipant
from services.coordination.fachtage.projection import FachtagProjection
from services.coordination.fachtage.schemas import FachtagIn
from shared.auth import Actor
from shared.contracts import coordination_activities as contract
from shared.contracts.coordination_activities import (
    FachtagCommandResult,
    FachtagInput,
    FachtagStage,
    ParticipantKind,
)
from shared.contracts.refs import UpdateRef
from shared.gateway import run_command, update_id
from shared.problems import ProblemError, stage_conflict
from shared.settings import WirSettings
from shared.temporal import KIND, STAGE

CommandT = TypeVar("CommandT", bound=BaseModel)


async def plan(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    actor: Actor,
    data: FachtagIn,
    idempotency_key: str | None,
) -> tuple[Fachtag, bool]:
    """Store the day and start its workflow; with a known key, the day planned first."""
    if idempotency_key is not None:
        key = f"{actor.user}:{idempotency_key}"
        existing = await session.scalar(select(Fachtag).where(Fachtag.idempotency_key == key))
        if existing is not None:
            return existing, False
    now = datetime.now(UTC)
    day = Fachtag(
        id=str(uuid.uuid4()),
        title=data.title,
        audience=data.audience,
        level=data.level.value,
        venue=data.venue,
        capacity=data.capacity,
        starts_at=data.starts_at,
        registration_closes_at=data.registration_closes_at,
        organiser=actor.user,
        stage=FachtagStage.planned.value,
        idempotency_key=f"{actor.user}:{idempotency_key}" if idempotency_key else None,
        created_at=now,
        updated_at=now,
    )
    session.add(day)
    await session.flush()
    await client.start_workflow(
        contract.WORKFLOW_NAME,
        FachtagInput(
            fachtag_id=day.id,
            organiser=actor.user,
            capacity=data.capacity,
            starts_at=data.starts_at,
            registration_closes_at=data.registration_closes_at,
            documentation_days=data.documentation_days,
            reminder_interval_days=data.reminder_interval_days,
        ),
        id=contract.workflow_id(day.id),
        task_queue=settings.task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
        search_attributes=TypedSearchAttributes(
            [
                SearchAttributePair(KIND, contract.KIND),
                SearchAttributePair(STAGE, FachtagStage.planned.value),
            ]
        ),
    )
    await session.commit()
    return day, True


@dataclass(frozen=True)
class FachtagCommand:
    """What every command on one day needs, built by ``access`` once the sender may."""

    session: AsyncSession
    client: Client
    day: Fachtag
    actor: Actor
    idempotency_key: str | None = None


async def send(
    *,
    cmd: FachtagCommand,
    update: UpdateRef[CommandT, FachtagCommandResult],
    command: CommandT,
    record: Callable[[FachtagCommandResult], Awaitable[None]] | None = None,
) -> Fachtag:
    """Send ``command`` to the day's workflow, project its events, commit once."""
    await run_command(
        session=cmd.session,
        client=cmd.client,
        workflow_id=contract.workflow_id(cmd.day.id),
        update=update,
        command=command,
        actor=cmd.actor.user,
        idempotency_key=cmd.idempotency_key,
        apply=FachtagProjection(cmd.session).apply,
        record=record,
    )
    await cmd.session.refresh(cmd.day)
    return cmd.day


def keep_ref(session: AsyncSession, ref: str) -> Callable[[FachtagCommandResult], Awaitable[None]]:
    """Stores the participant's contact id, user id or case id beside the projected row
    (the events name a contact by nothing, so the row gets it from the command). The row
    is the one the result's event names: a request repeated with its Idempotency-Key gets
    the first attempt's participant, not the id made for the repeat."""

    async def record(result: FachtagCommandResult) -> None:
        participant_id = str(result.events[0].data["participant_id"])
        row = await session.get(FachtagParticipant, participant_id)
        if row is not None:
            row.ref = ref

    return record


async def document(*, cmd: FachtagCommand, text: str) -> Fachtag:
    async def record(_: FachtagCommandResult) -> None:
        cmd.day.documentation = text

    return await send(
        cmd=cmd,
        update=contract.FachtagUpdates.document,
        command=contract.DocumentCommand(actor=cmd.actor.user),
        record=record,
    )


def refuse_if_cancelled(day: Fachtag) -> None:
    """A cancelled day takes no command (its workflow has ended): 409 in words."""
    if day.stage == FachtagStage.cancelled.value:
        when = f" on {day.cancelled_at:%Y-%m-%d}" if day.cancelled_at else ""
        raise stage_conflict(f"event {day.id} was cancelled{when}; it takes no more commands")


async def cancel(*, cmd: FachtagCommand, reason: str) -> Fachtag:
    """Call the day off (every stage before held). The reason stays in this database.

    Repeated with the ``Idempotency-Key`` that cancelled the day, the day as it is (the
    first answer); any other second cancellation is 409.
    """
    update = contract.FachtagUpdates.cancel_fachtag
    key = update_id(update, cmd.actor.user, cmd.idempotency_key)
    if cmd.day.stage == FachtagStage.cancelled.value:
        if key is not None and key == cmd.day.cancellation_key:
            return cmd.day
        refuse_if_cancelled(cmd.day)

    async def record(_: FachtagCommandResult) -> None:
        cmd.day.cancellation_reason = reason
        cmd.day.cancellation_key = key

    return await send(
        cmd=cmd,
        update=update,
        command=contract.CancelFachtagCommand(actor=cmd.actor.user),
        record=record,
    )


def _unknown(detail: str) -> ProblemError:
    return ProblemError(422, "Invalid command", detail)


async def check_contact(*, session: AsyncSession, kind: ParticipantKind, ref: str) -> None:
    """A contact participant is a contact person of the network, not erased."""
    if kind is not ParticipantKind.contact:
        return
    contact = await session.get(ContactPerson, ref)
    if contact is None or contact.erased_at is not None:
        raise _unknown(f"contact person {ref} is not in the network")


async def check_actors(*, session: AsyncSession, actor_ids: list[str]) -> None:
    """Invitations go to institutions of the network."""
    known = set(
        await session.scalars(select(NetworkActor.id).where(NetworkActor.id.in_(actor_ids)))
    )
    missing = sorted(set(actor_ids) - known)
    if missing:
        raise _unknown(f"not institutions of the network: {', '.join(missing)}")
