"""Contracts of the grant application process: stages, workflow input, commands, state.

The applications service starts ``GrantApplicationWorkflow`` and sends it these commands
as Temporal Updates; the worker runs it. Both sides import only these models.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from shared.eligibility import ApplicantFacts, EligibilityRule
from shared.events import CloudEvent

WORKFLOW_NAME = "GrantApplicationWorkflow"
KIND = "grant_application"


def workflow_id(application_id: str) -> str:
    return f"grant-application-{application_id}"


class ApplicationStage(StrEnum):
    draft = "draft"
    submitted = "submitted"
    ineligible = "ineligible"
    in_review = "in_review"
    changes_requested = "changes_requested"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"
    report_submitted = "report_submitted"
    closed = "closed"


#: Stages in which the applicant may still withdraw (no decision taken yet).
WITHDRAWABLE = frozenset(
    {ApplicationStage.submitted, ApplicationStage.in_review, ApplicationStage.changes_requested}
)
FINAL = frozenset(
    {
        ApplicationStage.ineligible,
        ApplicationStage.rejected,
        ApplicationStage.withdrawn,
        ApplicationStage.closed,
    }
)


class Decision(StrEnum):
    approve = "approve"
    reject = "reject"
    request_changes = "request_changes"


class GrantApplicationState(BaseModel):
    """Where an application stands; the workflow's query result and continue-as-new input."""

    application_id: str
    organisation_id: str
    priority_code: str
    stage: ApplicationStage = ApplicationStage.submitted
    seq: int = 0
    requested_amount: Decimal
    granted_amount: Decimal | None = None
    spent_amount: Decimal | None = None
    ineligible_reasons: list[str] = Field(default_factory=list)
    final_report_due_at: datetime | None = None
    report_reminded: bool = False
    report_overdue: bool = False


class GrantApplicationInput(BaseModel):
    application_id: str
    organisation_id: str
    priority_code: str
    requested_amount: Decimal = Field(gt=0)
    applicant: ApplicantFacts
    rule: EligibilityRule
    submitted_by: str
    final_report_due_days: int = Field(ge=1)
    report_reminder_days_before: int = Field(ge=0)
    # Set when a run continues an earlier one (continue-as-new at a phase boundary).
    resume: GrantApplicationState | None = None


class DecideCommand(BaseModel):
    decision: Decision
    actor: str
    granted_amount: Decimal | None = Field(default=None, gt=0)
    reason: str | None = None


class ResubmitCommand(BaseModel):
    actor: str
    requested_amount: Decimal = Field(gt=0)


class WithdrawCommand(BaseModel):
    actor: str
    reason: str | None = None


class SubmitReportCommand(BaseModel):
    actor: str
    spent_amount: Decimal = Field(ge=0)


class AcceptReportCommand(BaseModel):
    actor: str


class CommandResult(BaseModel):
    """What an Update returns: the new state and the events it published."""

    state: GrantApplicationState
    events: list[CloudEvent]
