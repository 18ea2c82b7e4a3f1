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
    event_type: ClassVar[str] = "wir.application.submitted"
    requested_amount: Decimal


@register
class ApplicationIneligible(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.ineligible"
    reasons: list[str]


@register
class ApplicationReviewStarted(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.review_started"


@register
class ApplicationChangesRequested(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.changes_requested"
    reason: str


@register
class ApplicationResubmitted(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.resubmitted"
    requested_amount: Decimal


@register
class ApplicationApproved(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.approved"
    requested_amount: Decimal
    granted_amount: Decimal
    final_report_due_at: datetime


@register
class ApplicationRejected(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.rejected"
    reason: str


@register
class ApplicationWithdrawn(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.withdrawn"
    reason: str | None = None


@register
class FinalReportReminder(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.report_reminder"
    final_report_due_at: datetime


@register
class FinalReportOverdue(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.report_overdue"
    final_report_due_at: datetime


@register
class FinalReportSubmitted(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.report_submitted"
    spent_amount: Decimal
    overdue: bool


@register
class ApplicationClosed(ApplicationEvent):
    event_type: ClassVar[str] = "wir.application.closed"
    granted_amount: Decimal
    spent_amount: Decimal
