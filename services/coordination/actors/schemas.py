"""Request and response bodies of the network: actors and their contact persons."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.coordination import ID_PATTERN

LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$", description="ISO 639-1, e.g. ar")]
Topic = Annotated[str, Field(min_length=1, max_length=60)]
EmailAddress = Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Phone = Annotated[str, Field(max_length=40, pattern=r"^[0-9+() /-]{3,40}$")]


class ActorType(StrEnum):
    municipal_office = "municipal_office"
    club = "club"
    church = "church"
    migrant_org = "migrant_org"
    welfare_org = "welfare_org"
    school = "school"
    employer = "employer"
    job_centre = "job_centre"
    other = "other"


class ActorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    type: ActorType
    place: str = Field(min_length=1, max_length=100)
    languages: list[LanguageCode] = Field(default=[], max_length=30)
    topics: list[Topic] = Field(default=[], max_length=30)
    applicant_organisation_id: Annotated[
        str | None,
        Field(
            pattern=ID_PATTERN,
            description="The grant applicant organisation of the applications service "
            "this institution is, by id",
        ),
    ] = None


class ActorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    type: ActorType
    place: str
    languages: list[str]
    topics: list[str]
    applicant_organisation_id: str | None
    created_at: datetime
    updated_at: datetime


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    function: str | None = Field(default=None, max_length=100)
    email: EmailAddress | None = None
    phone: Phone | None = None
    language: LanguageCode = "de"


class ContactOut(BaseModel):
    """A contact person; after erasure only the ids and the time of erasure remain."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    actor_id: str
    name: str | None
    function: str | None
    email: str | None
    phone: str | None
    language: str
    created_at: datetime
    erased_at: datetime | None
