"""The year's activity report (Sachbericht) as JSON, CSV and PDF: the office's alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from services.coordination.access import Coordinator
from services.coordination.report.export import report_csv
from services.coordination.report.figures import ActivityReport, ReportPriority, activity_report
from services.coordination.report.pdf import report_pdf
from services.coordination.report.service import year_facts
from shared.csv_export import CsvFormat, CsvFormatQuery, csv_response
from shared.deps import SessionDep

router = APIRouter(tags=["report"])

Year = Annotated[int, Path(ge=2000, le=2100, description="The calendar year reported on")]
PriorityQuery = Annotated[
    ReportPriority,
    Query(description="The grant the report goes with: priority 1 or 2"),
]
OfficeQuery = Annotated[
    str,
    Query(min_length=1, max_length=120, description="The district named on the report"),
]


async def _report(session: SessionDep, year: int, priority: ReportPriority) -> ActivityReport:
    facts = await year_facts(session=session, year=year)
    return activity_report(facts, priority=priority, generated_at=datetime.now(UTC))


@router.get("/reports/{year}", response_model=ActivityReport)
async def get_report(
    year: Year,
    actor: Coordinator,
    session: SessionDep,
    priority: PriorityQuery = ReportPriority.coordination,
) -> ActivityReport:
    """Meetings held, actors reached by type, events and participants, measures by status."""
    return await _report(session, year, priority)


@router.get("/reports/{year}/csv", response_class=Response)
async def get_report_csv(
    year: Year,
    actor: Coordinator,
    session: SessionDep,
    csv_format: CsvFormatQuery = CsvFormat.de,
    priority: PriorityQuery = ReportPriority.coordination,
) -> Response:
    report = await _report(session, year, priority)
    text = report_csv(report, csv_format=csv_format)
    return csv_response(text, filename=f"sachbericht-{year}.csv")


@router.get(
    "/reports/{year}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The report as PDF/A"}},
)
async def get_report_pdf(
    year: Year,
    actor: Coordinator,
    session: SessionDep,
    office: OfficeQuery = "WIR-Koordinierungsstelle",
    priority: PriorityQuery = ReportPriority.coordination,
) -> Response:
    report = await _report(session, year, priority)
    return Response(
        content=report_pdf(report, office=office),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="sachbericht-{year}.pdf"'},
    )
