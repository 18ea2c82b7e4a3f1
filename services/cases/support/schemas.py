"""Request and response bodies of volunteers, interpreter bookings, the employment track and
employer contacts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from services.cases.codes import LanguageCode, Languages, Note
from shared.text import Name


class VolunteerRole(StrEnum):
    mentor = "mentor"
    integration_guide = "integration_guide"
    lay_interpreter = "lay_interpreter"


class VolunteerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name = Field(max_length=200)
    role: VolunteerRole
    languages: Languages = Field(min_length=1)
    place: str = Field(min_length=1, max_length=100)
    availability: str | None = Field(default=None, max_length=500)
    contact: str | None = Field(default=None, max_length=300)
    active: bool = True


class VolunteerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    role: VolunteerRole
    languages: list[str]
    place: str
    availability: str | None
    contact: str | None
    active: bool
    created_at: datetime


class VolunteerMatch(BaseModel):
    volunteer: VolunteerOut
    shared_languages: list[str]
    same_place: bool


class AssignVolunteerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    volunteer_id: str = Field(min_length=1, max_length=36)


class CaseVolunteerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    volunteer_id: str
    role: VolunteerRole
    created_at: datetime
    created_by: str


class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    volunteer_id: str = Field(min_length=1, max_length=36)
    appointment_at: AwareDatetime
    place: str = Field(min_length=1, max_length=200)
    language: LanguageCode
    purpose: str | None = Field(default=None, max_length=500)

    @field_validator("appointment_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


class BookingOutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    took_place: bool
    note: Note = None


class BookingStatus(StrEnum):
    booked = "booked"
    took_place = "took_place"
    did_not_take_place = "did_not_take_place"


class BookingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    volunteer_id: str
    appointment_at: datetime
    place: str | None
    language: str
    purpose: str | None
    status: BookingStatus
    outcome_note: str | None
    created_at: datetime
    recorded_at: datetime | None
    recorded_by: str | None


class StepKind(StrEnum):
    application = "application"
    interview = "interview"
    internship = "internship"
    vocational_training = "vocational_training"
    employment = "employment"


class StepStatus(StrEnum):
    planned = "planned"
    sent = "sent"
    ongoing = "ongoing"
    successful = "successful"
    unsuccessful = "unsuccessful"
    completed = "completed"
    cancelled = "cancelled"


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: StepKind
    employer: str = Field(min_length=1, max_length=200)
    start_date: date | None = None
    end_date: date | None = None
    status: StepStatus = StepStatus.planned
    note: Note = None

    @model_validator(mode="after")
    def _dates(self) -> StepIn:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date lies before start_date")
        return self


class StepUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: StepStatus
    end_date: date | None = None
    note: Note = None


class StepOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    kind: StepKind
    employer: str | None
    start_date: date | None
    end_date: date | None
    status: StepStatus
    note: str | None
    created_at: datetime
    updated_at: datetime
    updated_by: str


class AdviceTopic(StrEnum):
    hiring_refugees = "hiring_refugees"
    work_permit = "work_permit"
    subsidies = "subsidies"
    recognition = "recognition"
    language_support = "language_support"
    training_support = "training_support"
    other = "other"


class EmployerContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employer: str = Field(min_length=1, max_length=200)
    contact_person: str | None = Field(default=None, max_length=200)
    contact_date: date = Field(default_factory=date.today)
    topics: list[AdviceTopic] = Field(min_length=1, max_length=len(AdviceTopic))
    advice: Note = None


class EmployerContactOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    employer: str
    contact_person: str | None
    contact_date: date
    topics: list[AdviceTopic]
    advice: str | None
    created_at: datetime
    created_by: str
