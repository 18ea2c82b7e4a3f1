"""Request and response bodies of organisations and funding priorities."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.applications.base import Strict
from shared.contracts.eligibility import ApplicantType, EligibilityRule
from shared.text import Name, OptionalName

#: A German postal code (Postleitzahl): five ASCII digits.
POSTAL_CODE = r"^[0-9]{5}$"


class AddressIn(Strict):
    """The organisation's postal address, for its letters: street, postal code and city
    together or none of them; ``addressee`` is an optional line below the name."""

    addressee: OptionalName = Field(default=None, max_length=100)
    street: OptionalName = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, pattern=POSTAL_CODE)
    city: OptionalName = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _complete(self) -> AddressIn:
        given = [self.street is not None, self.postal_code is not None, self.city is not None]
        if any(given) and not all(given):
            raise ValueError("street, postal_code and city are given together or not at all")
        if self.addressee is not None and not all(given):
            raise ValueError("an addressee line needs street, postal_code and city")
        return self


class OrganisationIn(AddressIn):
    name: Name = Field(
        max_length=200,
        description="For a district, independent or special-status city: its name as "
        "GET /reference/regional-bodies lists it",
    )
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
    addressee: str | None = None
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    created_at: datetime
    created_by: str


class Criterion(BaseModel):
    code: str
    title: str
    max_points: int = Field(ge=1)


#: A review criterion's code, also the key of a review's scores.
CriterionCode = Annotated[
    str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="e.g. need, concept")
]
#: More points than any criterion is worth: a score sheet stays readable.
MAX_POINTS = 1_000


class CriterionIn(Strict):
    code: CriterionCode
    title: Name = Field(max_length=200, description="No control characters")
    max_points: int = Field(ge=1, le=MAX_POINTS)


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
    criteria: list[CriterionIn] = Field(min_length=1, max_length=20, description="Each code once")

    @field_validator("criteria")
    @classmethod
    def _distinct_codes(cls, value: list[CriterionIn]) -> list[CriterionIn]:
        if len({c.code for c in value}) != len(value):
            raise ValueError("each criterion code may appear once")
        return value
