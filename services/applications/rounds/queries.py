"""Reads of funding rounds and their budgets."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.rounds.models import FundingRound, RoundPriority
from shared.problems import ProblemError, not_found


async def get_round(*, session: AsyncSession, round_id: str) -> FundingRound:
    funding_round = await session.get(FundingRound, round_id)
    if funding_round is None:
        raise not_found("funding round", round_id)
    return funding_round


async def list_rounds(*, session: AsyncSession) -> list[FundingRound]:
    return list(await session.scalars(select(FundingRound).order_by(FundingRound.id.desc())))


async def budgets(*, session: AsyncSession, round_id: str) -> list[RoundPriority]:
    result = await session.scalars(
        select(RoundPriority)
        .where(RoundPriority.round_id == round_id)
        .order_by(RoundPriority.priority_code)
    )
    return list(result)


async def round_priority(
    *, session: AsyncSession, round_id: str, priority_code: str
) -> RoundPriority:
    row = await session.get(RoundPriority, (round_id, priority_code))
    if row is None:
        raise ProblemError(
            422,
            "Priority not funded in this round",
            f"funding round {round_id} has no budget for priority {priority_code}",
        )
    return row
