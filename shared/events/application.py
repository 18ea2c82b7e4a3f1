"""Events of a grant application's life (``wir.application.*``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from shared.events import EventData, register


class ApplicationEvent(EventData):
    application_id: str
    organisation_id: str
    priority_code: str

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
