"""HTTP routes of the district's service catalogue: readable by the public without a token
(it holds no personal data), kept by case managers and admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from services.cases.access import CatalogueKeeper
from services.cases.offers import service
from services.cases.offers.schemas import PROVIDER_ID, OfferCategory, OfferIn, OfferOut
from shared.deps import SessionDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["offers"])


@router.get("/offers")
async def list_offers(
    session: SessionDep,
    page: PageDep,
    category: OfferCategory | None = None,
    language: Annotated[
        str | None, Query(pattern=r"^[a-z]{2}$", description="ISO 639-1 code, e.g. ar")
    ] = None,
    place: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Part of name or provider")
    ] = None,
    provider_id: Annotated[
        str | None, Query(pattern=PROVIDER_ID, max_length=64, description="e.g. vhs-ohmtal")
    ] = None,
) -> Page[OfferOut]:
    """Search the catalogue (public: no token needed)."""
    rows, total = await service.list_offers(
        session=session,
        page=page,
        category=category,
        language=language,
        place=place,
        q=q,
        provider_id=provider_id,
    )
    items = [OfferOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/offers/{offer_id}")
async def get_offer(offer_id: str, session: SessionDep) -> OfferOut:
    return OfferOut.model_validate(await service.get_offer(session=session, offer_id=offer_id))


@router.post("/offers", status_code=status.HTTP_201_CREATED)
async def create_offer(body: OfferIn, session: SessionDep, actor: CatalogueKeeper) -> OfferOut:
    offer = await service.create_offer(session=session, data=body, actor=actor.user)
    return OfferOut.model_validate(offer)


@router.put("/offers/{offer_id}")
async def update_offer(
    offer_id: str, body: OfferIn, session: SessionDep, actor: CatalogueKeeper
) -> OfferOut:
    offer = await service.update_offer(
        session=session, offer_id=offer_id, data=body, actor=actor.user
    )
    return OfferOut.model_validate(offer)
