"""The programme office's list of applications whose interim or final report is overdue.
(The applications API has no filter for overdue reviews: see docs/web.md.)"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.deps import OfficerDep
from services.web.i18n import N_
from services.web.pages.listing import PAGE_SIZE, offset_of, with_organisation_names
from services.web.render import page

router = APIRouter()


@router.get("/office/overdue")
async def overdue(request: Request, view: OfficerDep) -> Response:
    found = await view.api.get(
        "applications",
        "/applications",
        {
            "report_overdue": "true",
            "limit": PAGE_SIZE,
            "offset": offset_of(request.query_params.get("offset")),
        },
    )
    found = await with_organisation_names(view, found)
    return page(
        request, "pages/office/overdue.html", title=N_("Overdue reports"), found=found,
        base_query="",
    )  # fmt: skip
