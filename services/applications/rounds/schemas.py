"""Request and response bodies of funding rounds and their budgets."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from services.applications.base import PositiveAmount, Strict
from shared.contracts.eligibility import EligibilityRule
from shared.contracts.grants import Deadlines


class RoundIn(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="e.g. 2027")
    title: str = Field(min_length=1, max_length=200)
    submission_opens_at: datetime
    submission_closes_at: datetime
    period_earliest_start: date
    period_latest_end: date
    deadlines: Deadlines = Field(default_factory=Deadlines)
    funds_use_months: int = Field(default=2, ge=1, le=12)
    budgets: dict[str, PositiveAmount] = Field(
        min_length=1, description="Budget per funding priority code"
    )
    rules: dict[str, EligibilityRule] = Field(
        default_factory=dict,
        description="Eligibility rules that differ from the catalogue in this round, per priority",
    )

    @model_validator(mode="after")
    def _consistent(self) -> RoundIn:
        if self.submission_opens_at.tzinfo is None or self.submission_closes_at.tzinfo is None:
            raise ValueError("submission times need a time zone (e.g. 2027-01-15T00:00:00Z)")
        if self.submission_opens_at >= self.submission_closes_at:
            raise ValueError("submission_opens_at must be before submission_closes_at")
        if self.period_earliest_start >= self.period_latest_end:
            raise ValueError("period_earliest_start must be before period_latest_end")
        unbudgeted = sorted(set(self.rules) - set(self.budgets))
        if unbudgeted:
            raise ValueError(f"rules for priorities without a budget: {', '.join(unbudgeted)}")
        return self


class RoundPriorityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    priority_code: str
    budget: Decimal
    committed: Decimal
    paid: Decimal
    rule: EligibilityRule | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def left(self) -> Decimal:
        """What approvals can still take."""
        return self.budget - self.committed


class RoundOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    status: str
    submission_opens_at: datetime
    submission_closes_at: datetime
    period_earliest_start: date
    period_latest_end: date
    deadlines: Deadlines
    funds_use_months: int
    budgets: list[RoundPriorityOut] = Field(default_factory=list)
