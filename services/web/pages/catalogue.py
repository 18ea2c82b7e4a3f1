"""The district's public service catalogue: offers by category, language and place."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.deps import AnyoneDep
from services.web.i18n import N_
from services.web.labels import LANGUAGES, OFFER_CATEGORIES
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()


@router.get("/offers")
async def offers(request: Request, view: AnyoneDep) -> Response:
    query = request.query_params
    filters = {
        "category": query.get("category") if query.get("category") in OFFER_CATEGORIES else "",
        "language": query.get("language") if query.get("language") in LANGUAGES else "",
        "place": query.get("place", "").strip()[:100],
    }
    found = await view.api.get(
        "cases",
        "/offers",
        {**filters, "limit": PAGE_SIZE, "offset": offset_of(query.get("offset"))},
    )
    return page(
        request,
        "pages/offers.html",
        title=N_("Service catalogue"),
        filters=filters,
        found=found,
        base_query=base_query(filters),
    )


@router.get("/offers/{offer_id}")
async def offer(request: Request, offer_id: str, view: AnyoneDep) -> Response:
    found = await view.api.get("cases", f"/offers/{offer_id}")
    return page(request, "pages/offer.html", title_text=found["name"], offer=found)
