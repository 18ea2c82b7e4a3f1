"""The coordination office's year report (Sachbericht): the figures of a chosen year on a
page, and the API's CSV and PDF passed on as downloads."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from services.web.deps import CoordinatorDep
from services.web.i18n import N_, ZONE
from services.web.pages.coordination_forms import SERVICE
from services.web.render import page

router = APIRouter()
FIRST_YEAR, LAST_YEAR = 2000, 2100


def report_year(raw: str | None, today_year: int) -> int:
    """The year asked for; this year where none or one outside the API's range is given."""
    try:
        year = int(raw or today_year)
    except ValueError:
        return today_year
    return year if FIRST_YEAR <= year <= LAST_YEAR else today_year


@router.get("/coordination/report")
async def report(request: Request, view: CoordinatorDep) -> Response:
    year = report_year(request.query_params.get("year"), datetime.now(ZONE).year)
    figures = await view.api.get(SERVICE, f"/reports/{year}")
    return page(
        request, "pages/coordination/report.html", title=N_("Year report"), year=year,
        figures=figures,
    )  # fmt: skip


async def _download(view: CoordinatorDep, year: int, path: str) -> Response:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise HTTPException(404)
    answer = await view.api.raw(SERVICE, f"/reports/{year}{path}")
    return Response(
        answer.content,
        media_type=answer.headers.get("content-type", "application/octet-stream"),
        headers={
            "Content-Disposition": answer.headers.get("content-disposition", "attachment"),
            "Cache-Control": "no-store",
        },
    )


@router.get("/coordination/report/{year}.csv")
async def report_csv(year: int, view: CoordinatorDep) -> Response:
    return await _download(view, year, "/csv")


@router.get("/coordination/report/{year}.pdf")
async def report_pdf(year: int, view: CoordinatorDep) -> Response:
    return await _download(view, year, "/pdf")
