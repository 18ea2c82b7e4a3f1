"""Use cases of funding rounds: creating a round with its budgets, opening and closing it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.catalogue.models import FundingPriority
from services.applications.rounds.models import FundingRound, RoundPriority
from services.applications.rounds.queries import get_round
from services.applications.rounds.schemas import RoundIn
from shared.problems import ProblemError


def _now() -> datetime:
    return datetime.now(UTC)


async def create_round(*, session: AsyncSession, data: RoundIn, actor: str) -> FundingRound:
    if await session.get(FundingRound, data.id) is not None:
        raise ProblemError(409, "Round exists", f"funding round {data.id} exists already")
    known = set(await session.scalars(select(FundingPriority.code)))
    unknown = sorted(set(data.budgets) - known)
    if unknown:
        raise ProblemError(422, "Unknown priorities", f"no funding priority {', '.join(unknown)}")
    funding_round = FundingRound(
        id=data.id,
        title=data.title,
        status="draft",
        submission_opens_at=data.submission_opens_at,
        submission_closes_at=data.submission_closes_at,
        period_earliest_start=data.period_earliest_start,
        period_latest_end=data.period_latest_end,
        deadlines=data.deadlines.contract().model_dump(mode="json"),
        funds_use_months=data.funds_use_months,
        repaid_returns_to_budget=data.repaid_returns_to_budget,
        created_at=_now(),
        created_by=actor,
    )
    session.add(funding_round)
    await session.flush()
    for code, amount in data.budgets.items():
        session.add(
            RoundPriority(
                round_id=data.id,
                priority_code=code,
                budget=amount,
                committed=Decimal("0"),
                paid=Decimal("0"),
                rule=data.rules[code].model_dump(mode="json") if code in data.rules else None,
            )
        )
    await session.commit()
    return funding_round


async def set_status(*, session: AsyncSession, round_id: str, status: str) -> FundingRound:
    """draft ─open─> open ─close─> closed; a closed round takes no more submissions."""
    funding_round = await get_round(session=session, round_id=round_id)
    allowed = {"open": {"draft", "closed"}, "closed": {"open"}}
    if funding_round.status not in allowed[status]:
        raise ProblemError(
            409,
            "Not allowed in this state",
            f"cannot {status.removesuffix('d')} round {round_id}: it is {funding_round.status}",
        )
    funding_round.status = status
    await session.commit()
    return funding_round
