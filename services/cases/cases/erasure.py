"""Erasure of a person's data once the case's workflow says it is due.

The workflow keeps the durable timer (retention period after closure, or at once when
consent is withdrawn) and publishes ``wir.case.erasure_due``; this service owns the data
and erases it when the event arrives through its consumer. Erasing twice changes nothing.

What goes: the case's attachments (files and rows, the files first: see
``services.cases.attachments.service.erase``), the person row (name, birth date, languages,
contact, address, residence and family situation) and every free-text or identifying column
of the case's records (notes, qualifications, work experience, employers, the wording of the
plan's goals, places and purposes of interpreted appointments). What stays: the case row
with its codes and dates, the needs, the goals' areas, dates and statuses, referral statuses
and times, placement types, follow-up results, closure reasons, employment step kinds and
statuses, and the event history (codes only) — the anonymous figures the statistics count.

On SQLite deleted rows are overwritten (``secure_delete``, shared/db.py) and the
write-ahead log is checkpointed and truncated once the erasure commits, so the old values
stay neither in free pages nor in ``cases.db-wal``. PostgreSQL keeps the old row versions
as dead tuples until ``VACUUM`` (autovacuum) reclaims them (see the README).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.attachments import service as attachments
from services.cases.cases.models import (
    Case,
    CaseAssessment,
    CaseClosure,
    CaseFollowUp,
    CasePlacement,
    CasePlan,
    CaseReferral,
    Person,
)
from services.cases.support.models import EmploymentStep, InterpreterBooking
from shared.db import checkpoint_after_commit
from shared.files.store import FileStore


async def erase_person(
    *, session: AsyncSession, case: Case, at: datetime, files: FileStore
) -> None:
    if case.erased_at is not None:
        return
    await attachments.erase(session=session, store=files, case_id=case.id)
    person_id = case.person_id
    case.person_id = None
    case.idempotency_key = None
    case.erased_at = at
    checkpoint_after_commit(session)
    await session.flush()  # the case lets go of the person before the row goes
    if person_id is not None:
        person = await session.get(Person, person_id)
        if person is not None:
            await session.delete(person)
    for plan in await session.scalars(select(CasePlan).where(CasePlan.case_id == case.id)):
        plan.goals = [{**goal, "goal": None} for goal in plan.goals]
        plan.note = None
    for statement in (
        update(CaseAssessment)
        .where(CaseAssessment.case_id == case.id)
        .values(
            languages=[],
            school_qualification=None,
            vocational_qualification=None,
            work_experience=None,
            notes=None,
        ),
        update(CaseReferral)
        .where(CaseReferral.case_id == case.id)
        .values(note=None, response_note=None),
        update(CasePlacement)
        .where(CasePlacement.case_id == case.id)
        .values(employer_or_provider=None),
        update(CaseFollowUp).where(CaseFollowUp.case_id == case.id).values(note=None),
        update(CaseClosure).where(CaseClosure.case_id == case.id).values(note=None),
        update(InterpreterBooking)
        .where(InterpreterBooking.case_id == case.id)
        .values(place=None, purpose=None, outcome_note=None),
        update(EmploymentStep)
        .where(EmploymentStep.case_id == case.id)
        .values(employer=None, note=None),
    ):
        await session.execute(statement)
