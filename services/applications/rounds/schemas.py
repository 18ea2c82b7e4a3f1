"""Request and response bodies of funding rounds and their budgets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from services.applications.base import PositiveAmount, Strict
from shared.contracts.eligibility import EligibilityRule
from shared.contracts.grants import Deadlines
from shared.money import MoneyOut

#: The calendar a round may use: the programme plans years, not millennia. A date past it
#: (9999-12-31) would leave report deadlines beyond what a date can hold.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
RoundDate = Annotated[date, Field(ge=EARLIEST_DATE, le=LATEST_DATE)]
RoundTime = Annotated[
    datetime,
    Field(
        ge=datetime.combine(EARLIEST_DATE, time(), tzinfo=UTC),
        le=datetime.combine(LATEST_DATE, time(23, 59, 59), tzinfo=UTC),
    ),
]


def _comparable(a: datetime, b: datetime) -> bool:
    """Both with a time zone, or both without (the model refuses the latter after)."""
    return (a.tzinfo is None) == (b.tzinfo is None)


class DeadlinesIn(Strict):
    """The round's periods as a request may set them: each within what the programme can
    mean. The contract model (``Deadlines``) stays lenient, so stored rounds and workflow
    histories still decode."""

    final_report_months: int = Field(default=6, ge=0, le=60)
    interim_reports: bool = True
    reminder_offsets_days: list[Annotated[int, Field(ge=1, le=365)]] = Field(
        default_factory=lambda: [28, 7],
        max_length=10,
        description="Days before a report's deadline that a reminder goes out, each once",
    )
    report_grace_days: int = Field(default=28, ge=1, le=365)
    appeal_window_days: int = Field(
        default=31, ge=0, le=365, description="0: no Widerspruch; decisions final at once"
    )
    review_sla_days: int = Field(default=60, ge=1, le=730)

    @model_validator(mode="after")
    def _unique_offsets(self) -> DeadlinesIn:
        if len(set(self.reminder_offsets_days)) != len(self.reminder_offsets_days):
            raise ValueError("reminder_offsets_days must not repeat a value")
        return self

    def contract(self) -> Deadlines:
        return Deadlines.model_validate(self.model_dump())


class RoundIn(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="e.g. 2027")
    title: str = Field(min_length=1, max_length=200)
    submission_opens_at: RoundTime
    submission_closes_at: RoundTime = Field(description="After submission_opens_at")
    period_earliest_start: RoundDate
    period_latest_end: RoundDate = Field(description="After period_earliest_start")
    deadlines: DeadlinesIn = Field(default_factory=DeadlinesIn)
    funds_use_months: int = Field(default=2, ge=1, le=12)
    repaid_returns_to_budget: bool = Field(
        default=False,
        description="true: money repaid after a reclaim returns to the priority's budget "
        "and approvals may take it again; false (default): it goes back to the state's "
        "budget and the round's budget stays spent",
    )
    budgets: dict[str, PositiveAmount] = Field(
        min_length=1, description="Budget per funding priority code"
    )
    rules: dict[str, EligibilityRule] = Field(
        default_factory=dict,
        description="Eligibility rules that differ from the catalogue in this round, per priority",
    )

    @field_validator("submission_closes_at")
    @classmethod
    def _closes_after_opening(cls, value: datetime, info: ValidationInfo) -> datetime:
        opens = info.data.get("submission_opens_at")
        if opens is not None and _comparable(opens, value) and opens >= value:
            raise ValueError("submission_closes_at must be after submission_opens_at")
        return value

    @field_validator("period_latest_end")
    @classmethod
    def _ends_after_start(cls, value: date, info: ValidationInfo) -> date:
        start = info.data.get("period_earliest_start")
        if start is not None and start >= value:
            raise ValueError("period_latest_end must be after period_earliest_start")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RoundIn:
        if self.submission_opens_at.tzinfo is None or self.submission_closes_at.tzinfo is None:
            raise ValueError("submission times need a time zone (e.g. 2027-01-15T00:00:00Z)")
        unbudgeted = sorted(set(self.rules) - set(self.budgets))
        if unbudgeted:
            raise ValueError(f"rules for priorities without a budget: {', '.join(unbudgeted)}")
        return self


class RoundPriorityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    priority_code: str
    budget: MoneyOut
    committed: MoneyOut
    paid: MoneyOut
    rule: EligibilityRule | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def left(self) -> MoneyOut:
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
    repaid_returns_to_budget: bool
    budgets: list[RoundPriorityOut] = Field(default_factory=list)
