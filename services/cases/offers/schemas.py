"""Request and response bodies of the service catalogue, and its categories."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from services.cases.codes import Languages


class OfferCategory(StrEnum):
    language_course = "language_course"
    integration_course = "integration_course"
    job_centre = "job_centre"
    employment_agency = "employment_agency"
    recognition_counselling = "recognition_counselling"
    vocational_preparation = "vocational_preparation"
    migration_counselling = "migration_counselling"
    childcare = "childcare"
    housing_counselling = "housing_counselling"
    debt_counselling = "debt_counselling"
    other = "other"


#: A provider of the catalogue, as a provider account's token names it (``wir_provider``).
PROVIDER_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ProviderId = Annotated[
    str,
    Field(
        pattern=PROVIDER_ID,
        max_length=64,
        description="Stable id of the provider (a slug, e.g. vhs-ohmtal)",
    ),
]


class OfferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    category: OfferCategory
    provider: str = Field(min_length=1, max_length=200)
    provider_id: ProviderId
    place: str = Field(min_length=1, max_length=100)
    languages: Languages = Field(default_factory=list)
    target_group: str = Field(min_length=1, max_length=500)
    contact: str = Field(
        min_length=1, max_length=500, description="The provider's office, never a private person"
    )
    opening_hours: str | None = Field(default=None, max_length=500)
    capacity: int | None = Field(default=None, ge=0, le=100_000, description="Places available")
    waiting_weeks: int | None = Field(
        default=None, ge=0, le=520, description="Current waiting time for a place, in weeks"
    )


class OfferOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    category: OfferCategory
    provider: str
    provider_id: str
    place: str
    languages: list[str]
    target_group: str
    contact: str
    opening_hours: str | None
    capacity: int | None
    waiting_weeks: int | None
    created_at: datetime
    updated_at: datetime
