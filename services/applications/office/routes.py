"""HTTP routes for the programme office: statistics, CSV export, letters, reference data.

Include this router BEFORE the main applications router: ``/applications/export.csv``
would otherwise be taken for ``/applications/{application_id}``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from services.applications.access import AppReader, Office, SignedIn
from services.applications.catalogue import regional_bodies
from services.applications.office import letters, reclaim_letters, service
from services.applications.office.documents import (
    HTML_OR_PDF,
    PDF,
    pdf_response,
    wants_pdf,
)
from services.applications.office.letter_html import render_html
from services.applications.office.schemas import RegionalBodyOut, RoundStatistics
from shared.contracts.eligibility import ApplicantType
from shared.contracts.grants import ApplicationStage
from shared.csv_export import CsvFormat, CsvFormatQuery, csv_response
from shared.deps import SessionDep

router = APIRouter(tags=["office"])


@router.get("/rounds/{round_id}/statistics")
async def round_statistics(round_id: str, session: SessionDep, _: Office) -> RoundStatistics:
    """Per priority: budget, committed, paid and left; applications by stage; sums."""
    return await service.round_statistics(session=session, round_id=round_id)


@router.get(
    "/applications/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The applications as CSV"}},
)
async def export_applications(
    session: SessionDep,
    _: Office,
    round: Annotated[str | None, Query(max_length=64)] = None,
    priority: Annotated[str | None, Query(max_length=64)] = None,
    stage: ApplicationStage | None = None,
    applicant_type: ApplicantType | None = None,
    report_overdue: bool | None = None,
    csv_format: CsvFormatQuery = CsvFormat.de,
) -> Response:
    """All applications passing the filters of ``GET /applications``, by default for German
    spreadsheets (UTF-8 with BOM, ``;`` separated, decimal comma, dates as 30.09.2028);
    ``?format=plain``: ``,`` separated, decimal point, ISO dates, no BOM."""
    text = await service.export_csv(
        session=session,
        round_id=round,
        priority_code=priority,
        stage=stage,
        applicant_type=applicant_type,
        report_overdue=report_overdue,
        csv_format=csv_format,
    )
    return csv_response(text, filename="applications.csv")


@router.get(
    "/applications/{application_id}/bescheid", response_class=Response, responses=HTML_OR_PDF
)
async def bescheid(
    application_id: str, request: Request, session: SessionDep, _: AppReader
) -> Response:
    """The Zuwendungsbescheid as issued: a printable HTML page, or the PDF when the
    request prefers ``application/pdf`` (409 before an approval)."""
    if wants_pdf(request.headers.get("accept")):
        return await bescheid_pdf(application_id, session, _)
    document = await letters.bescheid(session=session, application_id=application_id)
    return Response(content=document, media_type="text/html; charset=utf-8")


@router.get("/applications/{application_id}/bescheid.pdf", response_class=Response, responses=PDF)
async def bescheid_pdf(application_id: str, session: SessionDep, _: AppReader) -> Response:
    """The Zuwendungsbescheid as a PDF/A document (409 before an approval)."""
    letter = await letters.bescheid_letter(session=session, application_id=application_id)
    return await pdf_response(letter)


@router.get(
    "/applications/{application_id}/reclaim-notice",
    response_class=Response,
    responses=HTML_OR_PDF,
)
async def reclaim_notice(
    application_id: str, request: Request, session: SessionDep, _: AppReader
) -> Response:
    """The Rückforderungsbescheid after a report review with reclaim: HTML, or the PDF
    when the request prefers ``application/pdf`` (409 when nothing was reclaimed)."""
    letter = await reclaim_letters.reclaim_notice(session=session, application_id=application_id)
    if wants_pdf(request.headers.get("accept")):
        return await pdf_response(letter)
    return Response(content=render_html(letter), media_type="text/html; charset=utf-8")


@router.get(
    "/applications/{application_id}/reclaim-notice.pdf", response_class=Response, responses=PDF
)
async def reclaim_notice_pdf(application_id: str, session: SessionDep, _: AppReader) -> Response:
    """The Rückforderungsbescheid as a PDF/A document."""
    letter = await reclaim_letters.reclaim_notice(session=session, application_id=application_id)
    return await pdf_response(letter)


@router.get("/reference/regional-bodies")
async def list_regional_bodies(
    _: SignedIn,
    applicant_type: ApplicantType | None = None,
) -> list[RegionalBodyOut]:
    """Hessen's 21 Landkreise, 5 kreisfreie Städte and 7 Sonderstatusstädte."""
    return [
        RegionalBodyOut(name=b.name, applicant_type=b.applicant_type)
        for b in regional_bodies.ALL
        if applicant_type is None or b.applicant_type == applicant_type
    ]
