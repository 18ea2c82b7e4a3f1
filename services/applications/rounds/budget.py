"""The budget's lifecycle, in one place: what an approval takes from its round's priority
budget and what gives it back.

- :func:`reserve` — the decision, before it asks the workflow to approve: a guarded UPDATE,
  so concurrent approvals never take more than the budget (its own short commit);
- :func:`undo_reserve` — the workflow refused that decision: exactly what it reserved
  goes back, never what another approval of the same application holds;
- :func:`release` — the projection of a rejection or withdrawal: the whole reservation
  goes back;
- :func:`paid` — the projection of an approved payment: the money leaves the budget;
- :func:`repaid` — the projection of a repayment after a reclaim: the money returns to
  the budget (``committed`` shrinks by it) if the round says so
  (``repaid_returns_to_budget``), else it stays with the state's budget.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import Update, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.models import Application
from services.applications.rounds.models import BudgetReservation, FundingRound, RoundPriority
from services.applications.rounds.queries import round_priority
from shared.problems import ProblemError


def _budget_of(round_id: str | None, priority_code: str) -> Update:
    """The UPDATE of one round's priority budget (its ``.values(...)`` still to give)."""
    return update(RoundPriority).where(
        RoundPriority.round_id == round_id, RoundPriority.priority_code == priority_code
    )


async def reserve(
    *, session: AsyncSession, application: Application, amount: Decimal
) -> Decimal | None:
    """Take ``amount`` from the priority's budget for this application, or refuse with 409.

    The guarded UPDATE is atomic in SQLite and PostgreSQL alike: of two approvals that
    together would exceed the budget, exactly one finds enough left. Returns what the
    application held before (None: no reservation), for :func:`undo_reserve`.

    Commits at once, before the decision goes to the workflow: holding the budget row's
    lock across that call would make every other writer wait for Temporal (SQLite has one
    write lock for the whole database).
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
        _budget_of(round_id, priority_code)
        .where(RoundPriority.budget - RoundPriority.committed >= delta)
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
                created_at=datetime.now(UTC),
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
    budget = _budget_of(reservation.round_id, reservation.priority_code)
    await session.execute(budget.values(committed=RoundPriority.committed - delta))
    if held_before is None:
        await session.delete(reservation)
    else:
        reservation.amount = held_before


async def release(*, session: AsyncSession, application_id: str) -> None:
    """Give a reservation back to the budget (rejection, withdrawal). Does not commit:
    part of the caller's unit of work."""
    reservation = await session.get(BudgetReservation, application_id)
    if reservation is None:
        return
    budget = _budget_of(reservation.round_id, reservation.priority_code)
    await session.execute(budget.values(committed=RoundPriority.committed - reservation.amount))
    await session.delete(reservation)


async def paid(*, session: AsyncSession, application: Application, amount: Decimal) -> None:
    """An approved payment leaves the priority's budget. Does not commit."""
    if application.round_id is None:
        return
    budget = _budget_of(application.round_id, application.priority_code)
    await session.execute(budget.values(paid=RoundPriority.paid + amount))


async def repaid(*, session: AsyncSession, application: Application, amount: Decimal) -> None:
    """Reclaimed money came back: approvals may take it again where the round lets repaid
    money return to its budget. Does not commit."""
    if application.round_id is None:
        return
    funding_round = await session.get(FundingRound, application.round_id)
    if funding_round is None or not funding_round.repaid_returns_to_budget:
        return
    budget = _budget_of(application.round_id, application.priority_code)
    await session.execute(budget.values(committed=RoundPriority.committed - amount))
