"""Request and response bodies of the applications API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.eligibility import ApplicantType, EligibilityRule
from shared.grants import ApplicationStage, Decision

Amount = Decimal


class OrganisationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

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


class PriorityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    number: int
    title: str
    rule: EligibilityRule
    updated_at: datetime
    updated_by: str


class PriorityRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: EligibilityRule


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation_id: str = Field(min_length=1, max_length=36)
    priority_code: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    requested_amount: Amount = Field(gt=0, le=Decimal("100000000"), decimal_places=2)
    migrant_org_partner: str | None = Field(
        default=None,
        max_length=200,
        description="Name of the non-profit migrant organisation the applicant cooperates with",
    )


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision
    granted_amount: Amount | None = Field(default=None, gt=0, decimal_places=2)
    reason: str | None = Field(default=None, max_length=5_000)

    @model_validator(mode="after")
    def _complete(self) -> DecisionIn:
        if self.decision is Decision.approve and self.granted_amount is None:
            raise ValueError("granted_amount is required to approve")
        if self.decision is not Decision.approve and not (self.reason and self.reason.strip()):
            raise ValueError(f"reason is required to {self.decision.value}")
        return self


class ResubmitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requested_amount: Amount | None = Field(default=None, gt=0, decimal_places=2)


class WithdrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=5_000)


class FinalReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    spent_amount: Amount = Field(ge=0, decimal_places=2)
    summary: str = Field(default="", max_length=20_000)


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
    priority_code: str
    title: str
    requested_amount: Amount
    granted_amount: Amount | None
    stage: ApplicationStage
    report_overdue: bool
    final_report_due_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ApplicationOut(ApplicationSummary):
    description: str
    migrant_org_partner: str | None
    spent_amount: Amount | None
    ineligible_reasons: list[str]
    created_by: str
    workflow_id: str | None
    history: list[HistoryEntry]
