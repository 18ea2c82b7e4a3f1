"""Contracts of the grant application process: stages, workflow input, commands, state.

The applications service starts ``GrantApplicationWorkflow`` and sends it these commands
as Temporal Updates; the worker runs it. Both sides import only these models.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from shared.contracts.eligibility import ApplicantFacts, EligibilityRule
from shared.contracts.envelope import CloudEvent
from shared.contracts.refs import QueryRef, UpdateRef

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
    approved = "approved"  # decided, appeal window running
    rejected = "rejected"  # decided, appeal window running; final once it closes
    withdrawn = "withdrawn"
    active = "active"  # funding period: payments, change requests, interim reports
    report_submitted = "report_submitted"
    report_corrections = "report_corrections"
    reclaim = "reclaim"  # Rückforderung set, waiting for the repayment
    closed = "closed"


#: Stages in which the applicant may still withdraw (no decision taken yet).
WITHDRAWABLE = frozenset(
    {ApplicationStage.submitted, ApplicationStage.in_review, ApplicationStage.changes_requested}
)
#: Stages after which nothing happens any more.
FINAL = frozenset(
    {ApplicationStage.ineligible, ApplicationStage.withdrawn, ApplicationStage.closed}
)


class Decision(StrEnum):
    approve = "approve"
    reject = "reject"
    request_changes = "request_changes"


class ReportOutcome(StrEnum):
    accept = "accept"
    request_corrections = "request_corrections"
    reclaim = "reclaim"


class PaymentStatus(StrEnum):
    requested = "requested"
    approved = "approved"
    rejected = "rejected"


class ChangeKind(StrEnum):
    extension = "extension"  # a later end of the funding period
    cost_shift = "cost_shift"  # money moved between cost lines, total unchanged


class ChangeStatus(StrEnum):
    requested = "requested"
    approved = "approved"
    rejected = "rejected"


class Deadlines(BaseModel):
    """The funding round's periods, as data; copied into each application's workflow."""

    final_report_months: int = Field(default=6, ge=0, le=60)
    interim_reports: bool = True
    reminder_offsets_days: list[int] = Field(default_factory=lambda: [28, 7])
    report_grace_days: int = Field(default=28, ge=1)
    # 0: no Widerspruch procedure; decisions are final at once (then only a court action)
    appeal_window_days: int = Field(default=31, ge=0)
    review_sla_days: int = Field(default=60, ge=1)


class Payment(BaseModel):
    payment_id: str
    amount: Decimal
    status: PaymentStatus = PaymentStatus.requested
    requested_by: str


class ChangeRequest(BaseModel):
    change_id: str
    kind: ChangeKind
    status: ChangeStatus = ChangeStatus.requested
    new_period_end: date | None = None
    requested_by: str


class ReportDeadline(BaseModel):
    """One report the applicant owes: an interim report (number ≥ 1) or the final one (0)."""

    number: int = Field(ge=0)
    due: datetime
    reminded: list[int] = Field(default_factory=list)  # offsets (days) already reminded
    overdue: bool = False
    grace_due: datetime | None = None  # the extra deadline given with the overdue notice
    escalated: bool = False
    submitted: bool = False

    @property
    def final(self) -> bool:
        return self.number == 0


class GrantApplicationState(BaseModel):
    """Where an application stands; the workflow's query result and continue-as-new input."""

    application_id: str
    organisation_id: str
    priority_code: str
    round_id: str
    # The Aktenzeichen and the title the events name; None in runs started before them.
    file_number: str | None = None
    title: str | None = None
    stage: ApplicationStage = ApplicationStage.submitted
    seq: int = 0
    requested_amount: Decimal
    funding_period_start: date
    funding_period_end: date
    revision: int = 1
    reviewer: str | None = None
    recommendation: Decision | None = None
    granted_amount: Decimal | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    appeal_lodged: bool = False
    decision_final: bool = False
    ineligible_reasons: list[str] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    changes: list[ChangeRequest] = Field(default_factory=list)
    reports: list[ReportDeadline] = Field(default_factory=list)
    spent_amount: Decimal | None = None
    reclaim_amount: Decimal | None = None
    repaid_amount: Decimal = Decimal("0")

    def paid(self) -> Decimal:
        return sum(
            (p.amount for p in self.payments if p.status is PaymentStatus.approved), Decimal("0")
        )

    def pending(self) -> Decimal:
        return sum(
            (p.amount for p in self.payments if p.status is PaymentStatus.requested), Decimal("0")
        )

    def payment(self, payment_id: str) -> Payment | None:
        return next((p for p in self.payments if p.payment_id == payment_id), None)

    def change(self, change_id: str) -> ChangeRequest | None:
        return next((c for c in self.changes if c.change_id == change_id), None)

    def final_report(self) -> ReportDeadline | None:
        return next((r for r in self.reports if r.final), None)


class GrantApplicationInput(BaseModel):
    application_id: str
    # Optional: the histories of runs started before file numbers have neither.
    file_number: str | None = None
    title: str | None = None
    organisation_id: str
    priority_code: str
    round_id: str
    requested_amount: Decimal = Field(gt=0)
    funding_period_start: date
    funding_period_end: date
    applicant: ApplicantFacts
    rule: EligibilityRule
    deadlines: Deadlines
    submitted_by: str
    # Set when a run continues an earlier one (continue-as-new at a phase boundary).
    resume: GrantApplicationState | None = None


# -- commands ---------------------------------------------------------------------------


class AssignReviewerCommand(BaseModel):
    actor: str
    reviewer: str


class ReviewCommand(BaseModel):
    actor: str
    total_score: int = Field(ge=0)
    max_score: int = Field(ge=0)
    recommendation: Decision


class DecideCommand(BaseModel):
    decision: Decision
    actor: str
    granted_amount: Decimal | None = Field(default=None, gt=0)
    reason: str | None = None


class ResubmitCommand(BaseModel):
    actor: str
    requested_amount: Decimal = Field(gt=0)
    funding_period_start: date
    funding_period_end: date
    revision: int = Field(ge=2)
    # the revised title; None from senders before titles were carried
    title: str | None = None


class WithdrawCommand(BaseModel):
    actor: str
    reason: str | None = None


class AppealCommand(BaseModel):
    actor: str


class RequestPaymentCommand(BaseModel):
    actor: str
    payment_id: str
    amount: Decimal = Field(gt=0)


class DecidePaymentCommand(BaseModel):
    actor: str
    payment_id: str
    approve: bool


class RequestChangeCommand(BaseModel):
    actor: str
    change_id: str
    kind: ChangeKind
    new_period_end: date | None = None


class DecideChangeCommand(BaseModel):
    actor: str
    change_id: str
    approve: bool


class SubmitReportCommand(BaseModel):
    """A report: ``number`` 0 is the final report (Verwendungsnachweis)."""

    actor: str
    number: int = Field(default=0, ge=0)
    spent_amount: Decimal | None = Field(default=None, ge=0)


class ReviewReportCommand(BaseModel):
    actor: str
    outcome: ReportOutcome
    reclaim_amount: Decimal | None = Field(default=None, gt=0)


class RecordRepaymentCommand(BaseModel):
    actor: str
    amount: Decimal = Field(gt=0)


class CommandResult(BaseModel):
    """What an Update returns: the new state and the events it published."""

    state: GrantApplicationState
    events: list[CloudEvent]


class GrantApplicationUpdates:
    """The updates of ``GrantApplicationWorkflow``, each with its command and result."""

    assign_reviewer = UpdateRef("assign_reviewer", AssignReviewerCommand, CommandResult)
    record_review = UpdateRef("record_review", ReviewCommand, CommandResult)
    decide = UpdateRef("decide", DecideCommand, CommandResult)
    resubmit = UpdateRef("resubmit", ResubmitCommand, CommandResult)
    withdraw = UpdateRef("withdraw", WithdrawCommand, CommandResult)
    appeal = UpdateRef("appeal", AppealCommand, CommandResult)
    waive_appeal = UpdateRef("waive_appeal", AppealCommand, CommandResult)
    request_payment = UpdateRef("request_payment", RequestPaymentCommand, CommandResult)
    decide_payment = UpdateRef("decide_payment", DecidePaymentCommand, CommandResult)
    request_change = UpdateRef("request_change", RequestChangeCommand, CommandResult)
    decide_change = UpdateRef("decide_change", DecideChangeCommand, CommandResult)
    submit_report = UpdateRef("submit_report", SubmitReportCommand, CommandResult)
    review_report = UpdateRef("review_report", ReviewReportCommand, CommandResult)
    record_repayment = UpdateRef("record_repayment", RecordRepaymentCommand, CommandResult)


class GrantApplicationQueries:
    """The queries of ``GrantApplicationWorkflow``."""

    state = QueryRef("state", GrantApplicationState)
