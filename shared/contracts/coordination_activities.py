"""Contracts of a specialist day or information event (Fachtag) of the coordination office.

One ``CoordinationEventWorkflow`` per Fachtag:

planned ─send_invitations─> invitations_sent ─open_registration─> registration_open
 ─(closing time, or close_registration)─> registration_closed ─record_attendance─> held
 ─(documentation due; reminded until done)─ document ─> documented
every stage before held ─cancel_fachtag─> cancelled (the run ends; everyone registered or
waiting is told, the automatic closing is off)

Everything here is ids, codes, counts and dates. Participants are actors' contact persons
(by contact id), staff (by user id) or refugees (by case id only, registered by their case
manager): no name, address or free text passes through the workflow. The title and the
programme of the day stay in the coordination service's database.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from shared.contracts.envelope import CloudEvent
from shared.contracts.refs import QueryRef, UpdateRef

WORKFLOW_NAME = "CoordinationEventWorkflow"
KIND = "coordination_event"

#: Ids of participants, contacts, cases and users as the workflow accepts them.
ID_PATTERN = r"^[A-Za-z0-9._@-]{1,64}$"


def workflow_id(fachtag_id: str) -> str:
    return f"coordination-event-{fachtag_id}"


class FachtagStage(StrEnum):
    planned = "planned"
    invitations_sent = "invitations_sent"
    registration_open = "registration_open"
    registration_closed = "registration_closed"
    held = "held"
    documented = "documented"
    #: called off by the office before it was held; the workflow ended
    cancelled = "cancelled"


#: The stages a day can be cancelled in: every one before it is held.
CANCELLABLE = (
    FachtagStage.planned,
    FachtagStage.invitations_sent,
    FachtagStage.registration_open,
    FachtagStage.registration_closed,
)
#: The stages a day's workflow ends in.
FINAL = (FachtagStage.documented, FachtagStage.cancelled)


class ParticipantKind(StrEnum):
    #: a contact person of an actor of the network (by the contact's id)
    contact = "contact"
    #: a member of staff (by user id)
    staff = "staff"
    #: a refugee, by the case id alone, registered by their case manager
    refugee = "refugee"


class ParticipantStatus(StrEnum):
    registered = "registered"
    waitlisted = "waitlisted"
    cancelled = "cancelled"


class Participant(BaseModel):
    participant_id: str = Field(pattern=ID_PATTERN)
    kind: ParticipantKind
    #: the contact id, the staff member's user id or the case id, by ``kind``
    ref: str = Field(pattern=ID_PATTERN)
    registered_by: str
    status: ParticipantStatus
    #: the order of registration: the waiting list moves up in this order
    number: int = Field(ge=1)
    attended: bool | None = None

    @property
    def case_id(self) -> str | None:
        return self.ref if self.kind is ParticipantKind.refugee else None


class FachtagState(BaseModel):
    fachtag_id: str
    organiser: str
    stage: FachtagStage = FachtagStage.planned
    seq: int = 0
    capacity: int = Field(ge=1)
    participants: list[Participant] = Field(default_factory=list)
    invited_actor_ids: list[str] = Field(default_factory=list)
    registration_closes_at: datetime
    starts_at: datetime
    held_at: datetime | None = None
    documentation_due_at: datetime | None = None
    reminders_sent: int = 0
    documented_at: datetime | None = None
    cancelled_at: datetime | None = None

    def participant(self, participant_id: str) -> Participant | None:
        return next((p for p in self.participants if p.participant_id == participant_id), None)


class FachtagInput(BaseModel):
    fachtag_id: str = Field(pattern=ID_PATTERN)
    #: the coordinator who planned the day; reminders of its documentation go to them
    organiser: str
    capacity: int = Field(ge=1, le=10_000)
    starts_at: datetime
    #: registration closes by itself at this time unless closed earlier
    registration_closes_at: datetime
    #: the documentation is due this many days after the day was held …
    documentation_days: int = Field(default=14, ge=1, le=365)
    #: … and is reminded every this many days from then until it is done
    reminder_interval_days: int = Field(default=7, ge=1, le=365)
    resume: FachtagState | None = None

    @model_validator(mode="after")
    def _closes_before_start(self) -> FachtagInput:
        if self.registration_closes_at > self.starts_at:
            raise ValueError("registration must close no later than the day starts")
        return self


class InviteCommand(BaseModel):
    actor: str
    #: the institutions (actor ids) invited; their contacts are looked up by the service
    actor_ids: list[str] = Field(min_length=1, max_length=500)


class StageCommand(BaseModel):
    """A command that only moves the day on (open or close the registration)."""

    actor: str


class RegisterCommand(BaseModel):
    actor: str
    participant_id: str = Field(pattern=ID_PATTERN)
    kind: ParticipantKind
    ref: str = Field(pattern=ID_PATTERN)


class CancelCommand(BaseModel):
    actor: str
    participant_id: str = Field(pattern=ID_PATTERN)


class AttendanceCommand(BaseModel):
    actor: str
    #: the registered participants who came; every other registered one did not
    attended: list[str] = Field(max_length=10_000)


class DocumentCommand(BaseModel):
    actor: str


class CancelFachtagCommand(BaseModel):
    """Call the day off. The office's reason is free text: it stays in the coordination
    service's database and never reaches the workflow."""

    actor: str


class FachtagCommandResult(BaseModel):
    state: FachtagState
    events: list[CloudEvent]


class FachtagUpdates:
    """The updates of ``CoordinationEventWorkflow``, each with its command and result."""

    send_invitations = UpdateRef("send_invitations", InviteCommand, FachtagCommandResult)
    open_registration = UpdateRef("open_registration", StageCommand, FachtagCommandResult)
    register = UpdateRef("register", RegisterCommand, FachtagCommandResult)
    cancel = UpdateRef("cancel", CancelCommand, FachtagCommandResult)
    close_registration = UpdateRef("close_registration", StageCommand, FachtagCommandResult)
    record_attendance = UpdateRef("record_attendance", AttendanceCommand, FachtagCommandResult)
    document = UpdateRef("document", DocumentCommand, FachtagCommandResult)
    cancel_fachtag = UpdateRef("cancel_fachtag", CancelFachtagCommand, FachtagCommandResult)


class FachtagQueries:
    state = QueryRef("state", FachtagState)
