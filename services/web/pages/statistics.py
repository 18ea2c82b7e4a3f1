"""The programme office's figures of a round: per priority and in total, applications by
stage as a chart (CSS bars, the numbers beside them), and the round's CSV export."""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from services.web.deps import OfficerDep
from services.web.i18n import N_
from services.web.pages.office import share
from services.web.render import page

router = APIRouter()
ROUND_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def round_id_of(value: str) -> str:
    if not ROUND_ID.match(value) or value in {".", ".."}:
        raise HTTPException(404)
    return value


@router.get("/office/rounds/{round_id}/statistics")
async def statistics(request: Request, round_id: str, view: OfficerDep) -> Response:
    figures = await view.api.get("applications", f"/rounds/{round_id_of(round_id)}/statistics")
    by_stage = figures["totals"]["by_stage"]
    most = max(by_stage.values(), default=0)
    chart = [(stage, count, share(count, most)) for stage, count in sorted(by_stage.items())]
    return page(
        request, "pages/office/statistics.html", title=N_("Statistics of the round"),
        figures=figures, chart=chart,
    )  # fmt: skip


@router.get("/office/rounds/{round_id}/export.csv")
async def export(request: Request, round_id: str, view: OfficerDep) -> Response:
    answer = await view.api.raw(
        "applications", f"/applications/export.csv?round={round_id_of(round_id)}"
    )
    return Response(
        answer.content,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="antraege-{round_id}.csv"',
            "Cache-Control": "no-store",
        },
    )
