"""Funding rounds and their budgets: opening, closing, and the atomic budget reservation."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.models import (
    Application,
    BudgetReservation,
    FundingPriority,
    FundingRound,
    RoundPriority,
)
from services.applications.schemas import RoundIn
from shared.problems import ProblemError, not_found


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
        deadlines=data.deadlines.model_dump(mode="json"),
        funds_use_months=data.funds_use_months,
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


async def reserve(
    *, session: AsyncSession, application: Application, amount: Decimal
) -> Decimal | None:
    """Take ``amount`` from the priority's budget for this application, or refuse with 409.

    The guarded UPDATE is atomic in SQLite and PostgreSQL alike: of two approvals that
    together would exceed the budget, exactly one finds enough left. Returns what the
    application held before (None: no reservation), for :func:`undo_reserve`.
    """
    assert application.round_id is not None
    application_id, round_id, priority_code = (
        application.id,
        application.round_id,
        application.priority_code,
    )
    existing = await session.get(BudgetReservation, application_id)
    held_before = existing.amount if existing is not None else None
    delta = amount - (held_before or Decimal("0"))
    result = await session.execute(
        update(RoundPriority)
        .where(
            RoundPriority.round_id == round_id,
            RoundPriority.priority_code == priority_code,
            RoundPriority.budget - RoundPriority.committed >= delta,
        )
        .values(committed=RoundPriority.committed + delta)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        await session.rollback()
        row = await round_priority(session=session, round_id=round_id, priority_code=priority_code)
        raise ProblemError(
            409,
            "Budget exhausted",
            f"priority {priority_code} in round {round_id} has "
            f"{row.budget - row.committed} left, less than {delta}",
        )
    if existing is None:
        session.add(
            BudgetReservation(
                application_id=application_id,
                round_id=round_id,
                priority_code=priority_code,
                amount=amount,
                created_at=_now(),
            )
        )
    else:
        existing.amount = amount
    try:
        await session.commit()
    except IntegrityError:  # a concurrent approval of the same application reserved first
        await session.rollback()
        raise ProblemError(
            409, "Decision in progress", f"application {application_id} is being decided"
        ) from None
    return held_before


async def undo_reserve(
    *, session: AsyncSession, application_id: str, amount: Decimal, held_before: Decimal | None
) -> None:
    """Take back exactly what one :func:`reserve` call added (its decision failed), leaving
    what other approvals of the application reserved: a refused duplicate approval must not
    give back the money of the approval that went through. Does not commit."""
    reservation = await session.get(BudgetReservation, application_id)
    if reservation is None:
        return  # already released (a rejection or withdrawal came in between)
    delta = amount - (held_before or Decimal("0"))
    await session.execute(
        update(RoundPriority)
        .where(
            RoundPriority.round_id == reservation.round_id,
            RoundPriority.priority_code == reservation.priority_code,
        )
        .values(committed=RoundPriority.committed - delta)
    )
    if held_before is None:
        await session.delete(reservation)
    else:
        reservation.amount = held_before


async def release(*, session: AsyncSession, application_id: str) -> None:
    """Give a reservation back to the budget (rejection, withdrawal, failed approval).
    Does not commit: part of the caller's unit of work."""
    reservation = await session.get(BudgetReservation, application_id)
    if reservation is None:
        return
    await session.execute(
        update(RoundPriority)
        .where(
            RoundPriority.round_id == reservation.round_id,
            RoundPriority.priority_code == reservation.priority_code,
        )
        .values(committed=RoundPriority.committed - reservation.amount)
    )
    await session.delete(reservation)
