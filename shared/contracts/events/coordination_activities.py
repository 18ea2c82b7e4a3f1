"""Events of the coordination office's activities (``wir.coordination.*``): specialist
days (Fachtage) with registration and waiting list, intercultural-opening measures and the
year's activity report (issue 15, part 2; the working groups' are in ``coordination.py``).

The same rules: ids, codes, counts and dates only; no contact person's or participant's
personal data; refugees only as case ids.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from shared.contracts.coordination_activities import FachtagStage, ParticipantKind
from shared.contracts.envelope import register
from shared.contracts.events.coordination import CoordinationEvent


class FachtagEvent(CoordinationEvent):
    """An event of one Fachtag (its id is the entity id)."""

    fachtag_id: str
    #: the coordinator who planned the day
    organiser: str

    def entity_id(self) -> str:
        return self.fachtag_id


@register
class FachtagPlanned(FachtagEvent):
    """A specialist day or information event was planned."""

    event_type: ClassVar[str] = "wir.coordination.fachtag_planned"
    capacity: int = Field(ge=1)
    starts_at: datetime
    registration_closes_at: datetime


@register
class FachtagInvitationsSent(FachtagEvent):
    """Invitations went out to the contact persons of these institutions (actor ids)."""

    event_type: ClassVar[str] = "wir.coordination.fachtag_invitations_sent"
    invited_actor_ids: list[str]
    starts_at: datetime
    registration_closes_at: datetime


@register
class FachtagRegistrationOpened(FachtagEvent):
    """Participants can now be registered."""

    event_type: ClassVar[str] = "wir.coordination.fachtag_registration_opened"
    capacity: int = Field(ge=1)


class ParticipantEvent(FachtagEvent):
    participant_id: str
    participant_kind: ParticipantKind
    case_id: str | None = Field(
        default=None,
        description="A refugee participant's case id (pseudonymous); absent for contacts "
        "and staff. The cases service adds the event to that case's history.",
    )
    #: who registered the participant (for a refugee: their case manager)
    registered_by: str


@register
class ParticipantRegistered(ParticipantEvent):
    """A participant got one of the day's places."""

    event_type: ClassVar[str] = "wir.coordination.participant_registered"
    registered_count: int = Field(ge=1)


@register
class ParticipantWaitlisted(ParticipantEvent):
    """The day was full: the participant is on the waiting list at ``position``."""

    event_type: ClassVar[str] = "wir.coordination.participant_waitlisted"
    position: int = Field(ge=1)


@register
class ParticipantCancelled(ParticipantEvent):
    """A registration or a place on the waiting list was cancelled."""

    event_type: ClassVar[str] = "wir.coordination.participant_cancelled"
    was_waitlisted: bool


@register
class ParticipantMovedUp(ParticipantEvent):
    """A place became free: the first on the waiting list got it."""

    event_type: ClassVar[str] = "wir.coordination.participant_moved_up"
    freed_by: str = Field(description="The participant id whose cancellation freed the place")


@register
class FachtagRegistrationClosed(FachtagEvent):
    """Registration closed, by the coordinator or at the closing time (``automatic``)."""

    event_type: ClassVar[str] = "wir.coordination.fachtag_registration_closed"
    registered_count: int = Field(ge=0)
    waitlisted_count: int = Field(ge=0)
    automatic: bool


@register
class ParticipantAttended(ParticipantEvent):
    """A registered participant took part in the day."""

    event_type: ClassVar[str] = "wir.coordination.participant_attended"


@register
class FachtagHeld(FachtagEvent):
    """The day took place; attendance by kind of participant. Its documentation is due
    at ``documentation_due_at``."""

    event_type: ClassVar[str] = "wir.coordination.fachtag_held"
    attended_by_kind: dict[ParticipantKind, int]
    registered_count: int = Field(ge=0)
    documentation_due_at: datetime


@register
class FachtagDocumentationDue(FachtagEvent):
    """The documentation of the day is (still) not done: reminder ``reminder`` (1, 2, …)."""

    event_type: ClassVar[str] = "wir.coordination.fachtag_documentation_due"
    documentation_due_at: datetime
    reminder: int = Field(ge=1)


@register
class FachtagDocumented(FachtagEvent):
    """The day was documented; its workflow ends."""

    event_type: ClassVar[str] = "wir.coordination.fachtag_documented"
    reminders_sent: int = Field(ge=0)


@register
class FachtagCancelled(FachtagEvent):
    """The office called the day off before it was held; its workflow ends. Counts and
    ids only: the office's reason stays in the coordination service. Each registration
    and place on the waiting list lapses with its own ``participant_fachtag_cancelled``;
    the institutions invited are told by this event."""

    event_type: ClassVar[str] = "wir.coordination.fachtag_cancelled"
    previous_stage: FachtagStage
    starts_at: datetime
    invited_actor_ids: list[str]
    registered_count: int = Field(ge=0, description="Places held when the day was cancelled")
    waitlisted_count: int = Field(ge=0, description="On the waiting list when it was cancelled")


@register
class ParticipantFachtagCancelled(ParticipantEvent):
    """The day was cancelled: this participant's place (or place on the waiting list)
    lapsed. Whoever must tell the participant is told: the case manager of a refugee,
    the office's team for an institution's contact person (the event carries the contact
    id; only the coordination service knows the address), a member of staff directly."""

    event_type: ClassVar[str] = "wir.coordination.participant_fachtag_cancelled"
    starts_at: datetime
    was_waitlisted: bool
    contact_id: str | None = Field(
        default=None, description="A contact person's contact id; absent for others"
    )
    user_id: str | None = Field(
        default=None, description="A member of staff's user id; absent for others"
    )


class MeasureEvent(CoordinationEvent):
    """An event of one intercultural-opening measure (its id is the entity id). Never its
    title or goal (free text the office writes): ids, codes and dates only."""

    measure_id: str
    #: the institution (an actor of the network) the measure opens up
    institution_id: str
    measure_kind: str = Field(
        description="staff_training, multilingual_information, "
        "intercultural_contact_person, diverse_recruitment or other"
    )
    status: str = Field(description="planned, in_progress, completed or discontinued")

    def entity_id(self) -> str:
        return self.measure_id


@register
class MeasureRecorded(MeasureEvent):
    """The office recorded a measure of an institution's intercultural opening."""

    event_type: ClassVar[str] = "wir.coordination.measure_recorded"
    started_on: date | None
    due_on: date | None
    completed_on: date | None


@register
class MeasureStatusChanged(MeasureEvent):
    """The measure moved from ``previous_status`` to ``status`` (planned or in progress;
    its end is ``measure_ended``)."""

    event_type: ClassVar[str] = "wir.coordination.measure_status_changed"
    previous_status: str


@register
class MeasurePlanChanged(MeasureEvent):
    """The measure's dates, title or goal changed: ``changed`` names the fields (the
    title and the goal themselves stay in the coordination service)."""

    event_type: ClassVar[str] = "wir.coordination.measure_plan_changed"
    changed: list[str] = Field(min_length=1)
    started_on: date | None
    due_on: date | None
    completed_on: date | None


@register
class MeasureEnded(MeasureEvent):
    """The measure was completed or discontinued on ``completed_on``."""

    event_type: ClassVar[str] = "wir.coordination.measure_ended"
    previous_status: str
    completed_on: date
