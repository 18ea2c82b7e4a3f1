"""Use cases and queries of the intercultural-opening measures (no workflow: a measure is
a record the office keeps up to date; every change is in the audit log)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.coordination.measures import facts
from services.coordination.measures.models import Measure
from services.coordination.measures.schemas import (
    PROGRESS,
    InstitutionProgress,
    MeasureChange,
    MeasureIn,
    MeasureStatus,
)
from shared.problems import not_found


async def create(*, session: AsyncSession, user: str, data: MeasureIn) -> Measure:
    now = datetime.now(UTC)
    measure = Measure(
        id=str(uuid.uuid4()),
        **data.model_dump(mode="python"),
        created_at=now,
        created_by=user,
        updated_at=now,
        updated_by=user,
        seq=0,
    )
    measure.kind = data.kind.value
    measure.status = data.status.value
    _complete(measure, data.status)
    session.add(measure)
    facts.recorded(session, measure)
    await session.commit()
    return measure


async def get(*, session: AsyncSession, measure_id: str) -> Measure:
    measure = await session.get(Measure, measure_id)
    if measure is None:
        raise not_found("measure", measure_id)
    return measure


async def change(
    *, session: AsyncSession, user: str, measure: Measure, data: MeasureChange
) -> Measure:
    previous_status = measure.status
    fields: list[str] = []
    for field, value in data.model_dump(exclude_unset=True).items():
        stored = value.value if isinstance(value, MeasureStatus) else value
        if getattr(measure, field) != stored:
            fields.append(field)
        setattr(measure, field, stored)
    if data.status is not None and _complete(measure, data.status):
        fields.append("completed_on")
    measure.updated_at = datetime.now(UTC)
    measure.updated_by = user
    facts.changed(session, measure, previous_status=previous_status, fields=fields)
    await session.commit()
    return measure


def _complete(measure: Measure, status: MeasureStatus) -> bool:
    """A measure completed (or discontinued) without a date ended today (True: so set)."""
    ended = (MeasureStatus.completed, MeasureStatus.discontinued)
    if status in ended and measure.completed_on is None:
        measure.completed_on = datetime.now(UTC).date()
        return True
    return False


def listing(*, institution_id: str | None, status: MeasureStatus | None) -> Select[Measure]:
    query = select(Measure).order_by(Measure.institution_id, Measure.created_at, Measure.id)
    if institution_id is not None:
        query = query.where(Measure.institution_id == institution_id)
    if status is not None:
        query = query.where(Measure.status == status.value)
    return query


def progress(measures: list[Measure]) -> list[InstitutionProgress]:
    """Per institution: its measures by status and the furthest any of them got."""
    grouped: dict[str, list[Measure]] = defaultdict(list)
    for m in measures:
        grouped[m.institution_id].append(m)
    out = []
    for institution_id, items in sorted(grouped.items()):
        statuses = [MeasureStatus(m.status) for m in items]
        started = [m.started_on for m in items if m.started_on is not None]
        completed = [m.completed_on for m in items if m.completed_on is not None]
        out.append(
            InstitutionProgress(
                institution_id=institution_id,
                measures=len(items),
                by_status={s: statuses.count(s) for s in MeasureStatus if s in statuses},
                furthest=max(statuses, key=PROGRESS.__getitem__),
                first_started_on=min(started, default=None),
                last_completed_on=max(completed, default=None),
            )
        )
    return out


def active_in(year: int, m: Measure) -> bool:
    """Whether the measure ran in ``year``: begun by its end and not completed before it
    (a measure without a start counts from the day it was recorded)."""
    begun = m.started_on or m.created_at.date()
    ended = m.completed_on
    return begun <= date(year, 12, 31) and (ended is None or ended >= date(year, 1, 1))
