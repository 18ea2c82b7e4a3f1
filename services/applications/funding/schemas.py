"""Request bodies of the funding period: payments, changes, reports, repayments."""

from __future__ import annotations

from pydantic import Field, model_validator

from services.applications.applications.schemas import CostLine
from services.applications.base import Amount, PositiveAmount, Strict
from services.applications.rounds.schemas import RoundDate
from shared.contracts.grants import ChangeKind, ReportOutcome


class PaymentIn(Strict):
    amount: PositiveAmount


class ApproveIn(Strict):
    approve: bool


class ChangeRequestIn(Strict):
    kind: ChangeKind
    new_period_end: RoundDate | None = None
    reason: str = Field(min_length=1, max_length=5_000)


class InterimReportIn(Strict):
    summary: str = Field(min_length=1, max_length=50_000)


class FinalReportIn(Strict):
    spent_amount: Amount
    actual_costs: list[CostLine] = Field(default_factory=list, max_length=100)
    summary: str = Field(default="", max_length=50_000, description="Sachbericht")


class ReportReviewIn(Strict):
    outcome: ReportOutcome
    reclaim_amount: PositiveAmount | None = None
    reason: str | None = Field(default=None, max_length=5_000)

    @model_validator(mode="after")
    def _amount(self) -> ReportReviewIn:
        if (self.outcome is ReportOutcome.reclaim) != (self.reclaim_amount is not None):
            raise ValueError("reclaim_amount is required for a reclaim and only then")
        return self


class RepaymentIn(Strict):
    amount: PositiveAmount
