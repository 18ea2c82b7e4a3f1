"""Events of a grant application's life (``wir.application.*``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from shared.contracts.envelope import EventData, register


class ApplicationEvent(EventData):
    application_id: str
    organisation_id: str
    priority_code: str
    round_id: str | None = None
    file_number: str | None = Field(
        default=None,
        description="The application's Aktenzeichen (WIR-2027-00042); absent in events of "
        "applications submitted before file numbers",
    )
    title: str | None = Field(
        default=None,
        description="The application's title (the project's name, never a person's); absent "
        "in events of applications submitted before titles were carried",
    )

    def entity_id(self) -> str:
        return self.application_id


@register
class ApplicationSubmitted(ApplicationEvent):
    """The applicant submitted the application; the eligibility check starts."""

    event_type: ClassVar[str] = "wir.application.submitted"
    requested_amount: Decimal


@register
class ApplicationIneligible(ApplicationEvent):
    """The eligibility check failed; the application ends here, with the reasons."""

    event_type: ClassVar[str] = "wir.application.ineligible"
    reasons: list[str]


@register
class ApplicationReviewStarted(ApplicationEvent):
    """The application is eligible and waits for the review decision."""

    event_type: ClassVar[str] = "wir.application.review_started"


@register
class ApplicationChangesRequested(ApplicationEvent):
    """The reviewer asked the applicant to revise the application."""

    event_type: ClassVar[str] = "wir.application.changes_requested"
    reason: str


@register
class ApplicationResubmitted(ApplicationEvent):
    """The applicant resubmitted a revised application."""

    event_type: ClassVar[str] = "wir.application.resubmitted"
    requested_amount: Decimal
    revision: int = Field(default=2, ge=2)


@register
class ApplicationApproved(ApplicationEvent):
    """Approved (Zuwendungsbescheid) with the granted amount;
    the final report is due at `final_report_due_at`."""

    event_type: ClassVar[str] = "wir.application.approved"
    requested_amount: Decimal
    granted_amount: Decimal
    final_report_due_at: datetime


@register
class ApplicationRejected(ApplicationEvent):
    """The application was rejected."""

    event_type: ClassVar[str] = "wir.application.rejected"
    reason: str


@register
class ApplicationWithdrawn(ApplicationEvent):
    """The applicant withdrew the application before a decision."""

    event_type: ClassVar[str] = "wir.application.withdrawn"
    reason: str | None = None


@register
class FinalReportReminder(ApplicationEvent):
    """The final report (Verwendungsnachweis) falls due soon."""

    event_type: ClassVar[str] = "wir.application.report_reminder"
    final_report_due_at: datetime


@register
class FinalReportOverdue(ApplicationEvent):
    """The final report (Verwendungsnachweis) was not submitted in time."""

    event_type: ClassVar[str] = "wir.application.report_overdue"
    final_report_due_at: datetime
    # the new deadline granted with this notice; after it the programme officer is alerted
    new_due_at: datetime | None = None


@register
class FinalReportSubmitted(ApplicationEvent):
    """The applicant submitted the final report with the amount spent."""

    event_type: ClassVar[str] = "wir.application.report_submitted"
    spent_amount: Decimal
    overdue: bool


@register
class ApplicationClosed(ApplicationEvent):
    """The final report was accepted; the application is closed."""

    event_type: ClassVar[str] = "wir.application.closed"
    granted_amount: Decimal
    spent_amount: Decimal
    paid_amount: Decimal | None = None
    reclaimed_amount: Decimal | None = None


@register
class ReviewerAssigned(ApplicationEvent):
    """A programme officer assigned the reviewer."""

    event_type: ClassVar[str] = "wir.application.reviewer_assigned"
    reviewer: str


@register
class ApplicationReviewed(ApplicationEvent):
    """The assigned reviewer scored the application and recommended a decision."""

    event_type: ClassVar[str] = "wir.application.reviewed"
    reviewer: str
    total_score: int = Field(ge=0)
    max_score: int = Field(ge=0)
    recommendation: str


@register
class AppealLodged(ApplicationEvent):
    """Widerspruch against the decision, within the appeal window: the review reopens."""

    event_type: ClassVar[str] = "wir.application.appeal_lodged"


@register
class DecisionFinal(ApplicationEvent):
    """The decision became final (Bestandskraft): appeal window over, waived, or appeal decided."""

    event_type: ClassVar[str] = "wir.application.decision_final"
    decision: str
    granted_amount: Decimal | None = None


@register
class FundingStarted(ApplicationEvent):
    """The funding period runs: payments may be requested, reports fall due."""

    event_type: ClassVar[str] = "wir.application.funding_started"
    granted_amount: Decimal
    funding_period_start: date
    funding_period_end: date
    final_report_due_at: datetime


class PaymentEvent(ApplicationEvent):
    payment_id: str
    amount: Decimal


@register
class PaymentRequested(PaymentEvent):
    """The applicant requested a payment (Mittelabruf)."""

    event_type: ClassVar[str] = "wir.application.payment_requested"


@register
class PaymentApproved(PaymentEvent):
    """Staff approved the payment; it enters the ledger."""

    event_type: ClassVar[str] = "wir.application.payment_approved"
    paid_total: Decimal


@register
class PaymentRejected(PaymentEvent):
    """Staff refused the payment request."""

    event_type: ClassVar[str] = "wir.application.payment_rejected"


@register
class ChangeRequested(ApplicationEvent):
    """The applicant asked for a change (Änderungsantrag): extension or cost shift."""

    event_type: ClassVar[str] = "wir.application.change_requested"
    change_id: str
    kind: str
    new_period_end: date | None = None


@register
class ChangeDecided(ApplicationEvent):
    """A change request was decided; an approved extension moves the report deadlines."""

    event_type: ClassVar[str] = "wir.application.change_decided"
    change_id: str
    kind: str
    approved: bool
    funding_period_end: date
    final_report_due_at: datetime


@register
class InterimReportReminder(ApplicationEvent):
    """An interim report (Zwischennachweis) falls due soon."""

    event_type: ClassVar[str] = "wir.application.interim_report_reminder"
    report_number: int = Field(ge=1)
    due_at: datetime


@register
class InterimReportOverdue(ApplicationEvent):
    """An interim report (Zwischennachweis) was not submitted in time."""

    event_type: ClassVar[str] = "wir.application.interim_report_overdue"
    report_number: int = Field(ge=1)
    due_at: datetime


@register
class InterimReportSubmitted(ApplicationEvent):
    """The applicant submitted an interim report (Zwischennachweis)."""

    event_type: ClassVar[str] = "wir.application.interim_report_submitted"
    report_number: int = Field(ge=1)
    overdue: bool


@register
class FinalReportEscalated(ApplicationEvent):
    """The final report is missing after the extra deadline: the programme officer acts."""

    event_type: ClassVar[str] = "wir.application.report_escalated"
    final_report_due_at: datetime


@register
class ReportCorrectionsRequested(ApplicationEvent):
    """The final report needs corrections, due by a new deadline."""

    event_type: ClassVar[str] = "wir.application.report_corrections_requested"
    final_report_due_at: datetime


@register
class ReclaimSet(ApplicationEvent):
    """Rückforderung: unspent or misused funds are to be repaid."""

    event_type: ClassVar[str] = "wir.application.reclaim_set"
    reclaim_amount: Decimal


@register
class RepaymentRecorded(ApplicationEvent):
    """A repayment of reclaimed funds was recorded."""

    event_type: ClassVar[str] = "wir.application.repayment_recorded"
    amount: Decimal
    repaid_total: Decimal
    outstanding: Decimal


@register
class ReviewOverdue(ApplicationEvent):
    """No decision within the round's review period (review_sla_days) since the review began."""

    event_type: ClassVar[str] = "wir.application.review_overdue"
    review_due_at: datetime
