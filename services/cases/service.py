"""Use cases of the cases service: keyword-only functions, one per command.

The commands on an open case (assessment, referrals, placement, …) are in ``commands``;
they all go through :func:`send_command`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WorkflowHandle
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.service import RPCError, RPCStatusCode

from services.cases import repository
from services.cases.models import Case, Offer, Person
from services.cases.schemas import IntakeIn, OfferIn
from shared import cases
from shared.cases import CaseCommandResult, CaseStage, RefugeeCaseInput
from shared.events import CloudEvent
from shared.problems import stage_conflict
from shared.settings import WirSettings
from shared.temporal import KIND, STAGE

log = logging.getLogger(__name__)

#: Stores what a confirmed command carried besides its codes (notes, names, dates), in the
#: transaction that applies the command's event. Called once per event the command produced.
Recorder = Callable[[CloudEvent], Awaitable[None]]


def _now() -> datetime:
    return datetime.now(UTC)


async def create_offer(*, session: AsyncSession, data: OfferIn, actor: str) -> Offer:
    now = _now()
    offer = Offer(
        id=str(uuid.uuid4()),
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
        **data.model_dump(mode="json"),
    )
    session.add(offer)
    await session.commit()
    return offer


async def update_offer(*, session: AsyncSession, offer_id: str, data: OfferIn, actor: str) -> Offer:
    """Replace an offer's description. Referrals already sent keep pointing at it."""
    offer = await repository.get_offer(session=session, offer_id=offer_id)
    for field, value in data.model_dump(mode="json").items():
        setattr(offer, field, value)
    offer.updated_at = _now()
    offer.updated_by = actor
    await session.commit()
    return offer


async def open_case(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    data: IntakeIn,
    actor: str,
    idempotency_key: str | None = None,
) -> tuple[Case, bool]:
    """Record the person and their consent and start the case's workflow.

    Returns the case and whether it was created now; with an idempotency key that opened a
    case before, that case comes back and nothing starts. The workflow input carries the
    case id, the case manager and the consent purposes only. If the workflow cannot be
    started, nothing is stored.
    """
    if idempotency_key:
        existing = await repository.case_by_idempotency_key(session=session, key=idempotency_key)
        if existing is not None:
            return existing, False
    now = _now()
    person = Person(
        id=str(uuid.uuid4()), created_at=now, created_by=actor, **data.person.model_dump()
    )
    case = Case(
        id=str(uuid.uuid4()),
        person_id=person.id,
        case_manager=data.case_manager or actor,
        stage=CaseStage.intake.value,
        seq=0,
        need_count=0,
        consent_purposes=[p.value for p in data.consent.purposes],
        consent_given_at=data.consent.given_at,
        consent_recorded_by=actor,
        idempotency_key=idempotency_key,
        created_at=now,
        created_by=actor,
        updated_at=now,
    )
    try:
        session.add(person)
        await session.flush()  # before the case that refers to it (no ORM relationship)
        session.add(case)
        await session.flush()  # claims the idempotency key before anything starts
    except IntegrityError:
        await session.rollback()
        if idempotency_key:  # the same key sent twice at once: the other request won
            existing = await repository.case_by_idempotency_key(
                session=session, key=idempotency_key
            )
            if existing is not None:
                return existing, False
        raise
    workflow_input = RefugeeCaseInput(
        case_id=case.id,
        case_manager=case.case_manager,
        opened_by=actor,
        consent_purposes=list(case.consent_purposes),
        follow_up_days=settings.follow_up_days,
        reopen_window_days=settings.reopen_window_days,
    )
    try:
        handle = await client.start_workflow(
            cases.WORKFLOW_NAME,
            workflow_input,
            id=cases.workflow_id(case.id),
            task_queue=settings.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(KIND, cases.KIND),
                    SearchAttributePair(STAGE, CaseStage.intake.value),
                ]
            ),
        )
    except Exception:
        await session.rollback()
        raise
    try:
        await session.commit()
    except Exception:
        await _abandon(handle)
        raise
    return case, True


async def _abandon(handle: WorkflowHandle[Any, Any]) -> None:
    """End a workflow whose case could not be stored, so no case lives in Temporal alone."""
    try:
        await handle.terminate(reason="the case could not be stored")
    except Exception:
        log.exception("workflow %s of an unstored case could not be terminated", handle.id)


async def send_command(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    update: str,
    command: BaseModel,
    idempotency_key: str | None = None,
    record: Recorder | None = None,
) -> Case:
    """Send a command to the case's workflow as an Update and record its events.

    The workflow validates the command against its stage; a rejected command leaves no
    trace. With an idempotency key a repeated request returns the first one's result.
    ``record`` stores the command's personal and free-text parts once it is confirmed.
    """
    case = await repository.get_case(session=session, case_id=case_id)
    action = update.replace("_", " ")
    _refuse_if_ended(case, settings, action)
    handle = client.get_workflow_handle(cases.workflow_id(case_id))
    try:
        result = await handle.execute_update(
            update,
            command,
            id=f"{update}-{idempotency_key}" if idempotency_key else None,
            result_type=CaseCommandResult,
        )
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND and case.stage == CaseStage.closed:
            raise stage_conflict(
                f"cannot {action}: the case is in stage closed and can no longer be reopened"
            ) from None
        raise
    for event in result.events:
        await repository.apply_event(session=session, event=event)
    if record is not None:
        for event in result.events:
            await record(event)
    await session.commit()
    await session.refresh(case)
    return case


def _refuse_if_ended(case: Case, settings: WirSettings, action: str) -> None:
    """A case closed for longer than the reopen window has no workflow any more."""
    if case.stage != CaseStage.closed or case.closed_at is None:
        return
    if _now() - case.closed_at > timedelta(days=settings.reopen_window_days):
        raise stage_conflict(
            f"cannot {action}: the case is in stage closed since "
            f"{case.closed_at:%Y-%m-%d}, beyond the reopen window of "
            f"{settings.reopen_window_days} days"
        )
