"""Tables of the funding rounds: the rounds, each priority's budget in a round, and the
part of a budget each approval holds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.applications.base import Base, Money


class FundingRound(Base):
    """A call for applications: its window, its periods (as data) and its budgets."""

    __tablename__ = "funding_rounds"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # e.g. "2027"
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # draft | open | closed
    submission_opens_at: Mapped[datetime]
    submission_closes_at: Mapped[datetime]
    period_earliest_start: Mapped[date]
    period_latest_end: Mapped[date]
    # shared.contracts.grants.Deadlines as JSON: report months, reminders, grace, appeal window …
    deadlines: Mapped[dict[str, Any]]
    funds_use_months: Mapped[int] = mapped_column(default=2)
    # Whether money repaid after a reclaim (Rückforderung) may be granted again in this
    # round: true gives it back to the priority's budget (committed shrinks by it); false
    # (the default) leaves it with the state's budget, outside the round.
    repaid_returns_to_budget: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class RoundPriority(Base):
    """A priority's budget in a round. ``committed`` only changes in one guarded UPDATE, so
    concurrent approvals can never take more than ``budget``."""

    __tablename__ = "round_priorities"

    round_id: Mapped[str] = mapped_column(ForeignKey("funding_rounds.id"), primary_key=True)
    priority_code: Mapped[str] = mapped_column(
        ForeignKey("funding_priorities.code"), primary_key=True
    )
    budget: Mapped[Decimal] = mapped_column(Money)
    committed: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    paid: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    # Overrides the catalogue's rule for this round when set.
    rule: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class BudgetReservation(Base):
    """The part of a round's priority budget an approval holds (one per application)."""

    __tablename__ = "budget_reservations"

    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    round_id: Mapped[str] = mapped_column(String(64))
    priority_code: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime]
