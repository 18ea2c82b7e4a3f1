"""Request and response bodies of applications: the content an applicant writes, its
revisions, and the application as a user sees it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from services.applications.base import Amount, PositiveAmount, Strict
from shared.contracts.grants import ApplicationStage
from shared.money import MoneyOut, money_json
from shared.projection import HistoryActor
from shared.text import OptionalName

MINI_JOB_PRIORITY = "migrant_organisations"


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
    """What the applicant writes; kept as a revision at every (re)submission. The body of
    a resubmission: who applies, in which round and under which priority is not part of
    it (those fields of the draft are refused)."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    target_group: str = Field(default="", max_length=500)
    place: str = Field(default="", max_length=200)
    funding_period_start: date
    funding_period_end: date
    cost_lines: list[CostLine] = Field(min_length=1, max_length=100)
    own_contribution: Amount = Decimal("0.00")
    third_party_contribution: Amount = Decimal("0.00")
    requested_amount: PositiveAmount
    migrant_org_partner: OptionalName = Field(
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


class WithdrawIn(Strict):
    reason: str | None = Field(default=None, max_length=5_000)


#: The amounts of an application's content (besides each cost line's ``amount``).
CONTENT_AMOUNTS = ("own_contribution", "third_party_contribution", "requested_amount")


def cost_lines_out(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cost lines as kept (JSON), their amounts in the one written form."""
    return [
        {**line, "amount": money_json(line["amount"])} if "amount" in line else line
        for line in lines
    ]


def content_out(content: dict[str, Any]) -> dict[str, Any]:
    """A revision's content as kept (JSON), its amounts in the one written form: one
    stored as ``"0"`` and one as ``"0.00"`` read the same."""
    out = {k: money_json(v) if k in CONTENT_AMOUNTS else v for k, v in content.items()}
    if isinstance(out.get("cost_lines"), list):
        out["cost_lines"] = cost_lines_out(out["cost_lines"])
    return out


class RevisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    content: Annotated[dict[str, Any], AfterValidator(content_out)]
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


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    amount: MoneyOut
    status: str
    requested_at: datetime
    requested_by: str | None
    decided_at: datetime | None
    decided_by: str | None


class HistoryEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event_id: str
    seq: int
    type: str
    stage: str
    actor: HistoryActor = Field(
        description="Who caused the event; `system` for deadlines and checks"
    )
    time: datetime
    data: dict[str, Any]


class ApplicationSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    file_number: str = Field(description="The Aktenzeichen, e.g. WIR-2027-00042")
    organisation_id: str
    round_id: str | None
    priority_code: str
    title: str
    requested_amount: MoneyOut
    granted_amount: MoneyOut | None
    paid_amount: MoneyOut
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
    cost_lines: Annotated[list[dict[str, Any]], AfterValidator(cost_lines_out)]
    own_contribution: MoneyOut
    third_party_contribution: MoneyOut
    migrant_org_partner: str | None
    revision: int
    review_score: int | None
    review_max_score: int | None
    recommendation: str | None
    decided_by: str | None
    decided_at: datetime | None
    spent_amount: MoneyOut | None
    reclaim_amount: MoneyOut | None
    repaid_amount: MoneyOut
    report_escalated: bool
    ineligible_reasons: list[str]
    created_by: str
    workflow_id: str | None
    payments: list[PaymentOut]
    history: list[HistoryEntry]
