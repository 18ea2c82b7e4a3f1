"""Events of a refugee case (``wir.case.*``).

Only the pseudonymous case id, codes, counts and dates: no name, birth date, address,
nationality, health detail or free text about the person ever goes into these.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from shared.cases import ClosureReason, DeclineReason, PlacementType, ReferralOutcome
from shared.events import EventData, register


class CaseEvent(EventData):
    case_id: str
    case_manager: str

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
class FollowUpDue(CaseEvent):
    """The follow-up check-in after a placement is due."""

    event_type: ClassVar[str] = "wir.case.follow_up_due"
    follow_up_due_at: datetime


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
