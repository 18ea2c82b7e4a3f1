"""Reads of the catalogue: organisations and funding priorities."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.catalogue.models import FundingPriority, Organisation
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found
from shared.search import contains


async def get_organisation(*, session: AsyncSession, organisation_id: str) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise not_found("organisation", organisation_id)
    return organisation


async def list_organisations(
    *,
    session: AsyncSession,
    page: PageParams,
    applicant_type: str | None = None,
    only_id: str | None = None,
    q: str | None = None,
) -> tuple[list[Organisation], int]:
    """``q``: part of the name, case and accents aside."""
    query = select(Organisation)
    if q:
        query = query.where(contains(Organisation.name_key, q))
    if only_id is not None:
        query = query.where(Organisation.id == only_id)
    if applicant_type:
        query = query.where(Organisation.applicant_type == applicant_type)
    return await fetch_page(session, query.order_by(Organisation.name, Organisation.id), page)


async def list_priorities(*, session: AsyncSession) -> list[FundingPriority]:
    result = await session.scalars(select(FundingPriority).order_by(FundingPriority.number))
    return list(result)


async def get_priority(*, session: AsyncSession, code: str) -> FundingPriority:
    priority = await session.get(FundingPriority, code)
    if priority is None:
        raise not_found("funding priority", code)
    return priority
