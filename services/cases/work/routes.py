"""HTTP routes of a case manager's work and of the district's figures.

Tasks, caseloads and shares hold ids and codes; the statistics are anonymous counts. Case
managers see their own tasks and caseload; admins every caseload; both read the statistics.
Only a case's holder shares it with colleagues.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from services.cases.access import CaseManager, FiguresReader, HeldCase, check_own
from services.cases.cases.responses import CaseShareOut, ShareOut
from services.cases.cases.schemas import ShareIn
from services.cases.work import service
from services.cases.work.schemas import Caseload, Statistics, TaskOut, TaskStatus
from services.cases.work.statistics import as_csv, statistics
from shared.csv_export import CsvFormat, CsvFormatQuery, csv_response
from shared.deps import SessionDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["work"])

StaffQuery = Annotated[str | None, Query(max_length=64)]


@router.get("/tasks")
async def list_tasks(
    session: SessionDep,
    page: PageDep,
    actor: CaseManager,
    case_manager: StaffQuery = None,
    case_id: Annotated[str | None, Query(max_length=36)] = None,
    status: Literal["open", "done", "cancelled", "any"] = "open",
) -> Page[TaskOut]:
    """Tasks raised by the cases' deadlines (follow-ups due, unanswered referrals, quiet
    cases), by due date; open ones unless ``status`` says otherwise. Your own only."""
    check_own(actor, case_manager, "tasks")
    rows, total = await service.list_tasks(
        session=session,
        page=page,
        case_manager=actor.user,
        status=None if status == "any" else TaskStatus(status),
        case_id=case_id,
    )
    items = [TaskOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/tasks/{task_id}/done")
async def complete_task(task_id: str, session: SessionDep, actor: CaseManager) -> TaskOut:
    task = await service.complete_task(session=session, task_id=task_id, actor=actor.user)
    return TaskOut.model_validate(task)


@router.get("/case-managers/{case_manager}/caseload")
async def get_caseload(case_manager: str, session: SessionDep, actor: FiguresReader) -> Caseload:
    """How many cases a case manager holds, by stage, and their open tasks (your own; an
    admin's any). The cases themselves: ``GET /cases``."""
    check_own(actor, case_manager, "caseload")
    return await service.caseload(session=session, case_manager=case_manager)


@router.post("/cases/{case_id}/shares")
async def share_case(
    body: ShareIn, case: HeldCase, session: SessionDep, actor: CaseManager
) -> list[CaseShareOut]:
    """Let a colleague see and work on the case (its holder only); answers every share,
    each with the case's id and file number."""
    rows = await service.share(
        session=session, case=case, case_manager=body.case_manager, actor=actor.user
    )
    named = {"case_id": case.id, "file_number": case.file_number}
    return [CaseShareOut(**ShareOut.model_validate(r).model_dump(), **named) for r in rows]


@router.delete("/cases/{case_id}/shares/{case_manager}", status_code=204)
async def unshare_case(case_manager: str, case: HeldCase, session: SessionDep) -> Response:
    await service.unshare(session=session, case_id=case.id, case_manager=case_manager)
    return Response(status_code=204)


def _period(period_from: date | None, period_to: date | None) -> tuple[date, date]:
    today = datetime.now(UTC).date()
    return period_from or today.replace(month=1, day=1), period_to or today


PeriodFrom = Annotated[
    date | None,
    Query(alias="from", description="1900-01-01 to 2199-12-31, not after to; default: 1 January"),
]
PeriodTo = Annotated[
    date | None,
    Query(alias="to", description="Inclusive, 1900-01-01 to 2199-12-31; default: today"),
]


@router.get("/statistics")
async def get_statistics(
    session: SessionDep,
    _: FiguresReader,
    period_from: PeriodFrom = None,
    period_to: PeriodTo = None,
) -> Statistics:
    """Anonymous figures of the period: cases by stage, needs, referrals by offer category
    with acceptance rate and time to answer, placements, follow-ups, closures, erasures."""
    start, end = _period(period_from, period_to)
    return await statistics(session=session, period_from=start, period_to=end)


@router.get("/statistics.csv", response_class=Response)
async def get_statistics_csv(
    session: SessionDep,
    _: FiguresReader,
    period_from: PeriodFrom = None,
    period_to: PeriodTo = None,
    csv_format: CsvFormatQuery = CsvFormat.de,
) -> Response:
    """The figures of ``GET /statistics`` as ``figure;key;value`` rows, by default for
    German spreadsheets (``;``, decimal comma, 30.09.2028, UTF-8 with BOM);
    ``?format=plain``: ``,``, decimal point, ISO dates, no BOM."""
    start, end = _period(period_from, period_to)
    figures = await statistics(session=session, period_from=start, period_to=end)
    text = as_csv(figures, csv_format=csv_format)
    return csv_response(text, filename=f"wir-cases-{start}-{end}.csv")
