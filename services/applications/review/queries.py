"""Reads of the review: a reviewer's declared conflicts and an application's reviews."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.review.models import ApplicationReview, ReviewerConflict


async def conflicts_of(*, session: AsyncSession, reviewer: str) -> list[ReviewerConflict]:
    result = await session.scalars(
        select(ReviewerConflict)
        .where(ReviewerConflict.reviewer == reviewer)
        .order_by(ReviewerConflict.declared_at)
    )
    return list(result)


async def conflict_with(
    *, session: AsyncSession, reviewer: str, organisation_id: str
) -> ReviewerConflict | None:
    return await session.scalar(
        select(ReviewerConflict).where(
            ReviewerConflict.reviewer == reviewer,
            ReviewerConflict.organisation_id == organisation_id,
        )
    )


async def reviews(*, session: AsyncSession, application_id: str) -> list[ApplicationReview]:
    result = await session.scalars(
        select(ApplicationReview)
        .where(ApplicationReview.application_id == application_id)
        .order_by(ApplicationReview.created_at)
    )
    return list(result)
