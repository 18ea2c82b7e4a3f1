"""Request and response bodies of the applications API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from shared.contracts.eligibility import ApplicantType, EligibilityRule
from shared.contracts.grants import ApplicationStage, ChangeKind, Deadlines, Decision, ReportOutcome

Amount = Annotated[Decimal, Field(ge=0, le=Decimal("100000000"), decimal_places=2)]
PositiveAmount = Annotated[Decimal, Field(gt=0, le=Decimal("100000000"), decimal_places=2)]
MINI_JOB_PRIORITY = "migrant_organisations"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrganisationIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    applicant_type: ApplicantType
    population: int | None = Field(default=None, ge=0, le=100_000_000)
    runs_interpreter_pool: bool = False
    is_non_profit: bool = False
    contact_email: str | None = Field(
        default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    )


class OrganisationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    applicant_type: ApplicantType
    population: int | None
    runs_interpreter_pool: bool
    is_non_profit: bool
    contact_email: str | None
    created_at: datetime
    created_by: str


class Criterion(BaseModel):
    code: str
    title: str
    max_points: int = Field(ge=1)


class PriorityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    number: int
    title: str
    rule: EligibilityRule
    criteria: list[Criterion]
    updated_at: datetime
    updated_by: str


class PriorityRuleIn(Strict):
    rule: EligibilityRule


class CriteriaIn(Strict):
    criteria: list[Criterion] = Field(min_length=1, max_length=20)


# -- funding rounds ---------------------------------------------------------------------


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


# -- application content -----------------------------------------------------------------


class CostCategory(StrEnum):
    personnel = "personnel"
    mini_job = "mini_job"  # the 450/520 € employee of priority 5
    material = "material"
    fees = "fees"
    other = "other"


class CostLine(Strict):
    category: CostCategory
    description: str = Field(min_length=1, max_length=300)
    amount: Amount


class ApplicationContent(Strict):
    """What the applicant writes; kept as a revision at every (re)submission."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    target_group: str = Field(default="", max_length=500)
    place: str = Field(default="", max_length=200)
    funding_period_start: date
    funding_period_end: date
    cost_lines: list[CostLine] = Field(min_length=1, max_length=100)
    own_contribution: Amount = Decimal("0")
    third_party_contribution: Amount = Decimal("0")
    requested_amount: PositiveAmount
    migrant_org_partner: str | None = Field(
        default=None,
        max_length=200,
        description="Name of the non-profit migrant organisation the applicant cooperates with",
    )

    @model_validator(mode="after")
    def _sums(self) -> ApplicationContent:
        if self.funding_period_start > self.funding_period_end:
            raise ValueError("funding_period_start must not be after funding_period_end")
        total = sum((line.amount for line in self.cost_lines), Decimal("0"))
        expected = total - self.own_contribution - self.third_party_contribution
        if expected != self.requested_amount:
            raise ValueError(
                f"requested_amount must equal total costs {total} minus own contribution "
                f"{self.own_contribution} minus third-party contribution "
                f"{self.third_party_contribution}, i.e. {expected}"
            )
        return self


class ApplicationIn(ApplicationContent):
    organisation_id: str = Field(min_length=1, max_length=36)
    round_id: str = Field(min_length=1, max_length=64)
    priority_code: str = Field(min_length=1, max_length=64)

    @model_validator(mode="after")
    def _mini_job(self) -> ApplicationIn:
        uses_mini_job = any(line.category is CostCategory.mini_job for line in self.cost_lines)
        if uses_mini_job and self.priority_code != MINI_JOB_PRIORITY:
            raise ValueError(f"a mini_job cost line is eligible under {MINI_JOB_PRIORITY} only")
        return self


class DecisionIn(Strict):
    decision: Decision
    granted_amount: PositiveAmount | None = None
    reason: str | None = Field(default=None, max_length=5_000)

    @model_validator(mode="after")
    def _complete(self) -> DecisionIn:
        if self.decision is Decision.approve and self.granted_amount is None:
            raise ValueError("granted_amount is required to approve")
        if self.decision is not Decision.approve and not (self.reason and self.reason.strip()):
            raise ValueError(f"reason is required to {self.decision.value}")
        return self


class WithdrawIn(Strict):
    reason: str | None = Field(default=None, max_length=5_000)


# -- review ------------------------------------------------------------------------------


class ReviewerIn(Strict):
    reviewer: str = Field(pattern=r"^[A-Za-z0-9._@-]{1,64}$")


class ConflictIn(Strict):
    organisation_id: str = Field(min_length=1, max_length=36)
    reason: str = Field(min_length=1, max_length=500)


class ConflictOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reviewer: str
    organisation_id: str
    reason: str
    declared_at: datetime
    declared_by: str


class ReviewIn(Strict):
    scores: dict[str, Annotated[int, Field(ge=0)]] = Field(min_length=1)
    comment: str = Field(default="", max_length=20_000)
    recommendation: Decision


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    revision: int
    reviewer: str
    scores: dict[str, Any]
    total_score: int
    max_score: int
    comment: str
    recommendation: str
    created_at: datetime


class RevisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    content: dict[str, Any]
    created_at: datetime
    created_by: str


class FieldChange(BaseModel):
    field: str
    before: Any
    after: Any


class RevisionDiff(BaseModel):
    application_id: str
    from_revision: int
    to_revision: int
    changes: list[FieldChange]


# -- funding period ----------------------------------------------------------------------


class PaymentIn(Strict):
    amount: PositiveAmount


class ApproveIn(Strict):
    approve: bool


class ChangeRequestIn(Strict):
    kind: ChangeKind
    new_period_end: date | None = None
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


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    amount: Decimal
    status: str
    requested_at: datetime
    requested_by: str | None
    decided_at: datetime | None
    decided_by: str | None


# -- application views -------------------------------------------------------------------


class HistoryEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event_id: str
    seq: int
    type: str
    stage: str
    actor: str | None
    time: datetime
    data: dict[str, Any]


class ApplicationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    organisation_id: str
    round_id: str | None
    priority_code: str
    title: str
    requested_amount: Decimal
    granted_amount: Decimal | None
    paid_amount: Decimal
    stage: ApplicationStage
    reviewer: str | None
    decision_final: bool
    report_overdue: bool
    final_report_due_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ApplicationOut(ApplicationSummary):
    description: str
    target_group: str
    place: str
    funding_period_start: date | None
    funding_period_end: date | None
    cost_lines: list[dict[str, Any]]
    own_contribution: Decimal
    third_party_contribution: Decimal
    migrant_org_partner: str | None
    revision: int
    review_score: int | None
    review_max_score: int | None
    recommendation: str | None
    decided_by: str | None
    decided_at: datetime | None
    spent_amount: Decimal | None
    reclaim_amount: Decimal | None
    repaid_amount: Decimal
    report_escalated: bool
    ineligible_reasons: list[str]
    created_by: str
    workflow_id: str | None
    payments: list[PaymentOut]
    history: list[HistoryEntry]
