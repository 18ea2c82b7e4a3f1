"""Events of a refugee case (``wir.case.*``).

Only the pseudonymous case id, codes, counts and dates: no name, birth date, address,
nationality, health detail or free text about the person ever goes into these.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from shared.contracts.cases import (
    ClosureReason,
    DeclineReason,
    ErasureReason,
    PlacementType,
    ReferralOutcome,
)
from shared.contracts.envelope import EventData, register


class CaseEvent(EventData):
    case_id: str
    case_manager: str
    file_number: str | None = Field(
        default=None,
        description="The case's file number (Aktenzeichen), e.g. FM-2026-00117; it names the "
        "file, never the person. Absent from events of cases opened before file numbers.",
    )

    def entity_id(self) -> str:
        return self.case_id


@register
class CaseOpened(CaseEvent):
    """A case was opened at intake, with the purposes the person consented to."""

    event_type: ClassVar[str] = "wir.case.opened"
    consent_purposes: list[str]


@register
class CaseAssessed(CaseEvent):
    """The needs assessment was recorded (number of needs only)."""

    event_type: ClassVar[str] = "wir.case.assessed"
    need_count: int = Field(ge=0)


class ReferralEvent(CaseEvent):
    referral_id: str
    offer_id: str


@register
class PlanRevised(CaseEvent):
    """A new version of the case's plan: how many goals, in which need areas, and the
    earliest target date among the open ones (the goals' wording stays in the service)."""

    event_type: ClassVar[str] = "wir.case.plan_revised"
    plan_version: int = Field(ge=1)
    goal_areas: list[str]
    next_target_date: date | None = None


@register
class ReferralSent(ReferralEvent):
    """The case manager referred the person to an offer of the service catalogue."""

    event_type: ClassVar[str] = "wir.case.referral_sent"


@register
class ReferralAccepted(ReferralEvent):
    """The provider accepted the referral."""

    event_type: ClassVar[str] = "wir.case.referral_accepted"


@register
class ReferralDeclined(ReferralEvent):
    """The provider declined the referral, with a reason code."""

    event_type: ClassVar[str] = "wir.case.referral_declined"
    reason: DeclineReason


@register
class ReferralCompleted(ReferralEvent):
    """The referred measure ended, with its outcome."""

    event_type: ClassVar[str] = "wir.case.referral_completed"
    outcome: ReferralOutcome


@register
class CasePlaced(CaseEvent):
    """The person was placed (internship, training, employment, other measure);
    a follow-up is due at `follow_up_due_at`."""

    event_type: ClassVar[str] = "wir.case.placed"
    placement_type: PlacementType
    offer_id: str | None = None
    follow_up_due_at: datetime


@register
class ReferralReminderDue(ReferralEvent):
    """The provider has not answered the referral within the reminder period: the case
    manager should ask after it."""

    event_type: ClassVar[str] = "wir.case.referral_reminder_due"
    sent_at: datetime
    days_open: int = Field(ge=0)


@register
class ReferralEscalated(ReferralEvent):
    """Still no answer a further period after the reminder: escalated to the case manager."""

    event_type: ClassVar[str] = "wir.case.referral_escalated"
    sent_at: datetime
    days_open: int = Field(ge=0)


@register
class FollowUpDue(CaseEvent):
    """A follow-up check-in after a placement is due (`number` 1, 2, 3 for the check-ins
    at +1, +3 and +6 months by default)."""

    event_type: ClassVar[str] = "wir.case.follow_up_due"
    follow_up_due_at: datetime
    number: int = Field(default=1, ge=1)
    next_follow_up_due_at: datetime | None = None


@register
class FollowUpRecorded(CaseEvent):
    """The case manager recorded a follow-up check-in."""

    event_type: ClassVar[str] = "wir.case.follow_up_recorded"
    still_placed: bool


@register
class CaseClosed(CaseEvent):
    """The case was closed, with a reason code."""

    event_type: ClassVar[str] = "wir.case.closed"
    reason: ClosureReason


@register
class CaseReopened(CaseEvent):
    """A closed case was reopened."""

    event_type: ClassVar[str] = "wir.case.reopened"


@register
class CaseTransferred(CaseEvent):
    """The case moved to another case manager (`case_manager` is the new one)."""

    event_type: ClassVar[str] = "wir.case.transferred"
    previous_case_manager: str


@register
class CaseInactive(CaseEvent):
    """Nothing was recorded on the open case for the inactivity period."""

    event_type: ClassVar[str] = "wir.case.inactive"
    last_activity_at: datetime
    days_inactive: int = Field(ge=0)


@register
class ErasureDue(CaseEvent):
    """The person's data must now be erased: the retention period after closure ended, or
    the person withdrew their consent. The cases service erases it on receipt; anonymous
    figures (codes, counts, dates) stay."""

    event_type: ClassVar[str] = "wir.case.erasure_due"
    reason: ErasureReason
    closed_at: datetime
