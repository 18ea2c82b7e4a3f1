"""The events a measure's changes publish (``wir.coordination.measure_*``), staged in the
service's outbox in the change's own commit. Ids, codes and dates only: a measure's title
and goal are the office's free text and stay in its table."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.coordination import outbox
from services.coordination.measures.models import Measure
from services.coordination.measures.schemas import MeasureStatus
from shared.contracts.envelope import EventData
from shared.contracts.events import coordination_activities as events

ENDED = (MeasureStatus.completed.value, MeasureStatus.discontinued.value)
DATES = ("started_on", "due_on", "completed_on")


def _stage(
    session: AsyncSession, measure: Measure, model: type[events.MeasureEvent], **fields: object
) -> None:
    measure.seq += 1
    data: EventData = model(
        seq=measure.seq,
        stage=measure.status,
        actor=measure.updated_by,
        measure_id=measure.id,
        institution_id=measure.institution_id,
        measure_kind=measure.kind,
        status=measure.status,
        **fields,
    )
    outbox.stage(session, entity=f"measure-{measure.id}", data=data, at=measure.updated_at)


def recorded(session: AsyncSession, measure: Measure) -> None:
    dates = {name: getattr(measure, name) for name in DATES}
    _stage(session, measure, events.MeasureRecorded, **dates)


def changed(
    session: AsyncSession, measure: Measure, *, previous_status: str, fields: list[str]
) -> None:
    """The events of one change: what of the plan changed, then the status's move."""
    plan = [f for f in fields if f != "status"]
    if measure.status in ENDED and previous_status not in ENDED:
        # the date an end without a date got is the end's, not a change of the plan
        plan = [f for f in plan if f != "completed_on"]
    if plan:
        dates = {name: getattr(measure, name) for name in DATES}
        _stage(session, measure, events.MeasurePlanChanged, changed=sorted(plan), **dates)
    if measure.status == previous_status:
        return
    if measure.status in ENDED:
        _stage(
            session,
            measure,
            events.MeasureEnded,
            previous_status=previous_status,
            completed_on=measure.completed_on,
        )
        return
    _stage(session, measure, events.MeasureStatusChanged, previous_status=previous_status)
