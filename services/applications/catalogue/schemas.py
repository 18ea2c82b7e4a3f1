"""Request and response bodies of organisations and funding priorities."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.applications.base import Strict
from shared.contracts.eligibility import ApplicantType, EligibilityRule
from shared.text import Name


class OrganisationIn(Strict):
    name: Name = Field(max_length=200)
    applicant_type: ApplicantType
    population: int | None = Field(default=None, ge=0, le=100_000_000)
    runs_interpreter_pool: bool = False
    is_non_profit: bool = False
    contact_email: str | None = Field(
        default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    )
    distinct_from: str | None = Field(
        default=None,
        min_length=1,
        max_length=36,
        description="The id of an existing organisation of the same name and type that this "
        "one is NOT (a different body that happens to have the same name). Without it, a "
        "name and type that exist already (case and accents aside) are refused with 409, "
        "whose problem names the existing organisation (existing_id, existing_name).",
    )


class OrganisationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    applicant_type: ApplicantType
    population: int | None
    runs_interpreter_pool: bool
    is_non_profit: bool
    contact_email: str | None
    created_at: datetime
    created_by: str


class Criterion(BaseModel):
    code: str
    title: str
    max_points: int = Field(ge=1)


class PriorityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    number: int
    title: str
    rule: EligibilityRule
    criteria: list[Criterion]
    updated_at: datetime
    updated_by: str


class PriorityRuleIn(Strict):
    rule: EligibilityRule


class CriteriaIn(Strict):
    criteria: list[Criterion] = Field(min_length=1, max_length=20)
