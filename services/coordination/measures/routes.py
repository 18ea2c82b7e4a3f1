"""HTTP routes of the intercultural-opening measures: the office's alone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from services.coordination import outbox
from services.coordination.access import Coordinator
from services.coordination.measures import service
from services.coordination.measures.schemas import (
    InstitutionProgress,
    MeasureChange,
    MeasureIn,
    MeasureOut,
    MeasureStatus,
)
from shared.deps import RuntimeDep, SessionDep
from shared.pagination import Page, PageDep, fetch_page

router = APIRouter(tags=["measures"])

InstitutionQuery = Annotated[str | None, Query(max_length=36, description="An actor id")]
StatusQuery = Annotated[MeasureStatus | None, Query()]


@router.post("/measures", status_code=status.HTTP_201_CREATED, response_model=MeasureOut)
async def create_measure(
    body: MeasureIn, actor: Coordinator, session: SessionDep, runtime: RuntimeDep
) -> MeasureOut:
    """Record a measure of an institution's intercultural opening
    (``wir.coordination.measure_recorded``)."""
    measure = await service.create(session=session, user=actor.user, data=body)
    await outbox.publish_pending(runtime)
    return MeasureOut.model_validate(measure)


@router.get("/measures", response_model=Page[MeasureOut])
async def list_measures(
    actor: Coordinator,
    session: SessionDep,
    page: PageDep,
    institution_id: InstitutionQuery = None,
    status: StatusQuery = None,
) -> Page[MeasureOut]:
    query = service.listing(institution_id=institution_id, status=status)
    rows, total = await fetch_page(session, query, page)
    items = [MeasureOut.model_validate(m) for m in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/measures/institutions", response_model=list[InstitutionProgress])
async def institutions(actor: Coordinator, session: SessionDep) -> list[InstitutionProgress]:
    """The institutions the office accompanied and how far each got."""
    rows = await session.scalars(service.listing(institution_id=None, status=None))
    return service.progress(list(rows))


@router.get("/measures/{measure_id}", response_model=MeasureOut)
async def get_measure(measure_id: str, actor: Coordinator, session: SessionDep) -> MeasureOut:
    return MeasureOut.model_validate(await service.get(session=session, measure_id=measure_id))


@router.patch("/measures/{measure_id}", response_model=MeasureOut)
async def change_measure(
    measure_id: str,
    body: MeasureChange,
    actor: Coordinator,
    session: SessionDep,
    runtime: RuntimeDep,
) -> MeasureOut:
    """Change its goal, status or dates (completed without a date: today); publishes
    ``measure_plan_changed``, ``measure_status_changed`` or ``measure_ended``."""
    measure = await service.get(session=session, measure_id=measure_id)
    changed = await service.change(session=session, user=actor.user, measure=measure, data=body)
    await outbox.publish_pending(runtime)
    return MeasureOut.model_validate(changed)
