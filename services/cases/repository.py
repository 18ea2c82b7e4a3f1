"""Queries on the cases service's tables (the event projection is in ``projection``)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, String, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.models import (
    Case,
    CaseAssessment,
    CaseClosure,
    CaseEvent,
    CaseFollowUp,
    CasePlacement,
    CasePlan,
    CaseReferral,
    Offer,
    Person,
)
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found

# -- offers -------------------------------------------------------------------------------


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


# -- cases --------------------------------------------------------------------------------


async def get_case(*, session: AsyncSession, case_id: str) -> Case:
    case = await session.get(Case, case_id)
    if case is None:
        raise not_found("case", case_id)
    return case


async def case_exists(*, session: AsyncSession, case_id: str) -> bool:
    return await session.get(Case, case_id) is not None


async def case_by_idempotency_key(*, session: AsyncSession, key: str) -> Case | None:
    result: Case | None = await session.scalar(select(Case).where(Case.idempotency_key == key))
    return result


async def list_cases(
    *,
    session: AsyncSession,
    page: PageParams,
    visible: ColumnElement[bool],
    stage: str | None = None,
    case_manager: str | None = None,
) -> tuple[list[Case], int]:
    """The cases matching ``visible`` (who may see which: ``access.visible_cases``)."""
    query = select(Case).where(visible)
    if stage:
        query = query.where(Case.stage == stage)
    if case_manager:
        query = query.where(Case.case_manager == case_manager)
    return await fetch_page(session, query.order_by(Case.created_at.desc(), Case.id), page)


async def get_person(*, session: AsyncSession, person_id: str) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise not_found("person", person_id)
    return person


async def get_referral(*, session: AsyncSession, case_id: str, referral_id: str) -> CaseReferral:
    referral = await session.get(CaseReferral, referral_id)
    if referral is None or referral.case_id != case_id:
        raise not_found("referral", referral_id)
    return referral


async def referrals(*, session: AsyncSession, case_id: str) -> list[tuple[CaseReferral, str]]:
    """The case's referrals in the order they were sent, each with its offer's name."""
    result = await session.execute(
        select(CaseReferral, Offer.name)
        .join(Offer, Offer.id == CaseReferral.offer_id)
        .where(CaseReferral.case_id == case_id)
        .order_by(CaseReferral.sent_at, CaseReferral.id)
    )
    return [(referral, name) for referral, name in result]


async def provider_referrals(
    *, session: AsyncSession, page: PageParams, provider_id: str, status: str | None = None
) -> tuple[list[CaseReferral], int]:
    """The referrals to the offers of one provider, the newest first."""
    offers = select(Offer.id).where(Offer.provider_id == provider_id)
    query = select(CaseReferral).where(CaseReferral.offer_id.in_(offers))
    if status:
        query = query.where(CaseReferral.status == status)
    return await fetch_page(
        session, query.order_by(CaseReferral.sent_at.desc(), CaseReferral.id), page
    )


Record = TypeVar("Record", CaseAssessment, CasePlacement, CaseFollowUp, CaseClosure, CasePlan)


async def records(*, session: AsyncSession, model: type[Record], case_id: str) -> list[Record]:
    """A case's assessments, placements, follow-ups or closures, oldest first."""
    result = await session.scalars(
        select(model).where(model.case_id == case_id).order_by(model.created_at, model.id)
    )
    return list(result)


async def history(*, session: AsyncSession, case_id: str) -> list[CaseEvent]:
    result = await session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)
    )
    return list(result)
