"""Requests and answers of the Fachtage routes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from shared.contracts.coordination_activities import (
    ID_PATTERN,
    FachtagStage,
    ParticipantKind,
    ParticipantStatus,
)
from shared.projection import HistoryActor


class FachtagLevel(StrEnum):
    """The programme's "specialist events at district and national level": the district's
    own day, one at the level of the state of Hessen, or a national one."""

    district = "district"
    state = "state"
    national = "national"


class FachtagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200, examples=["Bewerben in Deutschland"])
    audience: str = Field(min_length=1, max_length=200, examples=["Geflüchtete"])
    level: FachtagLevel = FachtagLevel.district
    venue: str | None = Field(default=None, max_length=300)
    capacity: int = Field(ge=1, le=10_000)
    starts_at: datetime
    registration_closes_at: datetime
    documentation_days: int = Field(default=14, ge=1, le=365)
    reminder_interval_days: int = Field(default=7, ge=1, le=365)

    @model_validator(mode="after")
    def _closes_before_start(self) -> FachtagIn:
        if self.registration_closes_at > self.starts_at:
            raise ValueError("registration_closes_at must not be after starts_at")
        return self


class InvitationsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actor_ids: list[str] = Field(min_length=1, max_length=500, description="Institutions")


class ParticipantIn(BaseModel):
    """``contact``: ``contact_id`` of an actor's contact person; ``staff``: ``user_id``;
    ``refugee``: ``case_id`` only, and only from the case's case manager."""

    model_config = ConfigDict(extra="forbid")

    kind: ParticipantKind
    contact_id: str | None = Field(default=None, pattern=ID_PATTERN)
    user_id: str | None = Field(default=None, pattern=ID_PATTERN)
    case_id: str | None = Field(default=None, pattern=ID_PATTERN)

    @model_validator(mode="after")
    def _one_ref(self) -> ParticipantIn:
        given = {
            ParticipantKind.contact: self.contact_id,
            ParticipantKind.staff: self.user_id,
            ParticipantKind.refugee: self.case_id,
        }
        if given[self.kind] is None or sum(v is not None for v in given.values()) != 1:
            field = {"contact": "contact_id", "staff": "user_id", "refugee": "case_id"}
            raise ValueError(f"a {self.kind.value} is given by {field[self.kind.value]} alone")
        return self

    @property
    def ref(self) -> str:
        ref = self.contact_id or self.user_id or self.case_id
        assert ref is not None
        return ref


class AttendanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attended: list[str] = Field(max_length=10_000, description="Participant ids who came")


class DocumentationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20_000, description="What the day achieved")


class CancellationIn(BaseModel):
    """Why the day is called off, in the office's words: kept in this service, shown on
    the day, never in its workflow, events or notices."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)
    ] = Field(examples=["Die Referentin ist erkrankt; ein neuer Termin folgt."])


class ParticipantOut(BaseModel):
    participant_id: str
    kind: ParticipantKind
    status: ParticipantStatus
    attended: bool | None
    registered_by: str
    registered_at: datetime
    contact_id: str | None = None
    actor_id: str | None = Field(
        default=None,
        description="A contact person's institution (from the network's contacts table; "
        "kept after an erasure, null where the contact row is gone)",
    )
    user_id: str | None = None
    case_id: str | None = Field(
        default=None, description="Shown only to the case manager who registered the refugee"
    )


class FachtagSummary(BaseModel):
    id: str
    title: str
    audience: str
    level: FachtagLevel
    venue: str | None
    capacity: int
    starts_at: datetime
    registration_closes_at: datetime
    stage: FachtagStage
    organiser: str
    registered: int
    waitlisted: int


class FachtagHistoryEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    type: str
    stage: str
    actor: HistoryActor
    time: datetime


class FachtagOut(FachtagSummary):
    held_at: datetime | None
    documentation_due_at: datetime | None
    reminders_sent: int
    documented_at: datetime | None
    documentation: str | None
    cancelled_at: datetime | None
    cancellation_reason: str | None = Field(
        description="Why the office called the day off (its own words)"
    )
    workflow_id: str
    participants: list[ParticipantOut]
    history: list[FachtagHistoryEntry] | None = Field(
        description="The day's events, for the coordination office (None for case managers)"
    )


def history_entries(rows: list[Any]) -> list[FachtagHistoryEntry]:
    return [FachtagHistoryEntry.model_validate(r) for r in rows]
