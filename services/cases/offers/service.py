"""The service catalogue: search it, read an offer, create and describe offers.

Keyword-only use cases; the catalogue holds no personal data, so nothing here is audited
as a read of it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.offers.models import Offer
from services.cases.offers.schemas import OfferIn
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found


async def get_offer(*, session: AsyncSession, offer_id: str) -> Offer:
    offer = await session.get(Offer, offer_id)
    if offer is None:
        raise not_found("offer", offer_id)
    return offer


async def list_offers(
    *,
    session: AsyncSession,
    page: PageParams,
    category: str | None = None,
    language: str | None = None,
    place: str | None = None,
    q: str | None = None,
    provider_id: str | None = None,
) -> tuple[list[Offer], int]:
    query = select(Offer)
    if category:
        query = query.where(Offer.category == category)
    if provider_id:
        query = query.where(Offer.provider_id == provider_id)
    if language:
        # languages is a JSON list of two-letter codes: match the quoted code in its text
        query = query.where(cast(Offer.languages, String).contains(f'"{language}"'))
    if place:
        query = query.where(func.lower(Offer.place).contains(place.lower(), autoescape=True))
    if q:
        query = query.where(
            or_(
                Offer.name.icontains(q, autoescape=True),
                Offer.provider.icontains(q, autoescape=True),
            )
        )
    return await fetch_page(session, query.order_by(Offer.category, Offer.name, Offer.id), page)


async def create_offer(*, session: AsyncSession, data: OfferIn, actor: str) -> Offer:
    now = datetime.now(UTC)
    offer = Offer(
        id=str(uuid.uuid4()),
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
        **data.model_dump(mode="json"),
    )
    session.add(offer)
    await session.commit()
    return offer


async def update_offer(*, session: AsyncSession, offer_id: str, data: OfferIn, actor: str) -> Offer:
    """Replace an offer's description. Referrals already sent keep pointing at it."""
    offer = await get_offer(session=session, offer_id=offer_id)
    for field, value in data.model_dump(mode="json").items():
        setattr(offer, field, value)
    offer.updated_at = datetime.now(UTC)
    offer.updated_by = actor
    await session.commit()
    return offer
