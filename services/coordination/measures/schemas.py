"""Requests and answers of the intercultural-opening measures."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class MeasureKind(StrEnum):
    staff_training = "staff_training"
    multilingual_information = "multilingual_information"
    intercultural_contact_person = "intercultural_contact_person"
    diverse_recruitment = "diverse_recruitment"
    other = "other"


class MeasureStatus(StrEnum):
    planned = "planned"
    in_progress = "in_progress"
    completed = "completed"
    discontinued = "discontinued"


#: How far a status got: the order of the progress an institution shows.
PROGRESS = {
    MeasureStatus.discontinued: 0,
    MeasureStatus.planned: 1,
    MeasureStatus.in_progress: 2,
    MeasureStatus.completed: 3,
}


class _Dates(BaseModel):
    started_on: date | None = None
    due_on: date | None = None
    completed_on: date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> _Dates:
        start = self.started_on
        for label, later in (("due_on", self.due_on), ("completed_on", self.completed_on)):
            if start is not None and later is not None and later < start:
                raise ValueError(f"{label} must not be before started_on")
        return self


class MeasureIn(_Dates):
    model_config = ConfigDict(extra="forbid")

    institution_id: str = Field(min_length=1, max_length=36)
    kind: MeasureKind
    title: str = Field(min_length=1, max_length=200)
    goal: str = Field(min_length=1, max_length=2000)
    status: MeasureStatus = MeasureStatus.planned


class MeasureChange(_Dates):
    """The fields to change; the others stay as they are."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200)
    goal: str | None = Field(default=None, min_length=1, max_length=2000)
    status: MeasureStatus | None = None

    @model_validator(mode="after")
    def _no_null_for_what_a_measure_must_have(self) -> MeasureChange:
        # left out: unchanged; null: only a date may be cleared
        for name in ("title", "goal", "status"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} may be left out but not set to null")
        return self


class MeasureOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    institution_id: str
    kind: MeasureKind
    title: str
    goal: str
    status: MeasureStatus
    started_on: date | None
    due_on: date | None
    completed_on: date | None
    created_at: datetime
    created_by: str
    updated_at: datetime


class InstitutionProgress(BaseModel):
    """One institution the office accompanied, and how far it got."""

    institution_id: str
    measures: int
    by_status: dict[MeasureStatus, int]
    furthest: MeasureStatus = Field(description="The most advanced status of its measures")
    first_started_on: date | None
    last_completed_on: date | None
