"""Intake: a case with the person's consent, or an anonymous counselling contact without.

With consent the person and the consent are recorded and the case's workflow starts; the
workflow input carries the case id, the case manager, the consent purposes and the periods
only. Without consent nothing about the person is stored: only an anonymous contact (date,
topics, languages, staff member) for the statistics.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client, WorkflowHandle
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)

from services.cases.cases.models import Case, CounsellingContact, Person
from services.cases.cases.names import name_key
from services.cases.cases.numbers import take_file_number
from services.cases.cases.queries import case_by_idempotency_key
from services.cases.cases.schemas import IntakeIn
from shared.contracts import cases
from shared.contracts.cases import CaseStage, RefugeeCaseInput
from shared.idempotency import scoped_key
from shared.settings import WirSettings
from shared.temporal import FILE_NUMBER, KIND, STAGE

log = logging.getLogger(__name__)


def workflow_input(*, case: Case, actor: str, settings: WirSettings) -> RefugeeCaseInput:
    schedule = list(settings.follow_up_schedule_days)
    return RefugeeCaseInput(
        case_id=case.id,
        case_manager=case.case_manager,
        opened_by=actor,
        file_number=case.file_number,
        consent_purposes=list(case.consent_purposes),
        follow_up_days=schedule[0],
        reopen_window_days=settings.reopen_window_days,
        referral_reminder_days=settings.referral_reminder_days,
        referral_escalation_days=settings.referral_escalation_days,
        follow_up_schedule_days=schedule,
        inactivity_days=settings.case_inactivity_days,
        retention_days=settings.case_retention_days,
    )


async def record_counselling_contact(
    *, session: AsyncSession, data: IntakeIn, actor: str, idempotency_key: str | None = None
) -> CounsellingContact:
    """No consent: keep an anonymous contact and drop everything about the person. With an
    idempotency key that recorded a contact before, that contact comes back: a retried
    intake is counted once."""
    key = scoped_key(actor, idempotency_key) if idempotency_key else None
    if key and (existing := await _contact_by_key(session, key)) is not None:
        return existing
    contact = CounsellingContact(
        id=str(uuid.uuid4()),
        case_manager=data.case_manager or actor,
        contact_date=data.consent.given_at,
        topics=[t.value for t in data.topics],
        languages=list(data.person.languages),
        created_at=datetime.now(UTC),
        created_by=actor,
        idempotency_key=key,
    )
    session.add(contact)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        if key and (existing := await _contact_by_key(session, key)) is not None:
            return existing  # the same key sent twice at once: the other request won
        raise
    return contact


async def _contact_by_key(session: AsyncSession, key: str) -> CounsellingContact | None:
    found: CounsellingContact | None = await session.scalar(
        select(CounsellingContact).where(CounsellingContact.idempotency_key == key)
    )
    return found


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
    case before, that case comes back, with its file number, and nothing starts. If the
    workflow cannot be started, nothing is stored and no file number is used up.
    """
    key = scoped_key(actor, idempotency_key) if idempotency_key else None
    if key:
        existing = await case_by_idempotency_key(session=session, key=key)
        if existing is not None:
            return existing, False
    now = datetime.now(UTC)
    person = Person(
        id=str(uuid.uuid4()),
        created_at=now,
        created_by=actor,
        name_key=name_key(data.person.given_name, data.person.family_name),
        **data.person.model_dump(),
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
        idempotency_key=key,
        created_at=now,
        created_by=actor,
        updated_at=now,
    )
    try:
        session.add(person)
        await session.flush()  # before the case that refers to it (no ORM relationship)
        # In this transaction, so a rollback gives the number back (see ``numbers``).
        case.file_number = await take_file_number(session=session, at=now)
        session.add(case)
        await session.flush()  # claims the idempotency key before anything starts
    except IntegrityError:
        await session.rollback()
        if key:  # the same key sent twice at once: the other request won
            existing = await case_by_idempotency_key(session=session, key=key)
            if existing is not None:
                return existing, False
        raise
    try:
        handle = await client.start_workflow(
            cases.WORKFLOW_NAME,
            workflow_input(case=case, actor=actor, settings=settings),
            id=cases.workflow_id(case.id),
            task_queue=settings.task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(KIND, cases.KIND),
                    SearchAttributePair(STAGE, CaseStage.intake.value),
                    SearchAttributePair(FILE_NUMBER, case.file_number),
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
