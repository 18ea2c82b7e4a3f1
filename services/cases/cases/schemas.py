"""Request bodies of intake and of the commands on a case, and the codes they use.

Only codes, ids and counts taken from these bodies reach the workflow; names, dates of
birth, contact data and every free-text field stay in the service's database.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.cases.codes import Languages, Note, StaffId
from shared.contracts.cases import ClosureReason, DeclineReason, PlacementType, ReferralOutcome
from shared.text import Name


class NeedArea(StrEnum):
    language = "language"
    recognition = "recognition"
    training = "training"
    employment = "employment"
    childcare = "childcare"
    housing = "housing"
    health_access = "health_access"


class ConsentPurpose(StrEnum):
    case_management = "case_management"
    referral_to_services = "referral_to_services"
    data_sharing_with_providers = "data_sharing_with_providers"
    follow_up_contact = "follow_up_contact"


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    given_name: Name = Field(max_length=100)
    family_name: Name = Field(max_length=100)
    birth_date: date | None = None
    languages: Languages = Field(default_factory=list)
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9][0-9 ()/-]{2,39}$")
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    address: str | None = Field(default=None, max_length=300)
    residence_status: str | None = Field(default=None, max_length=200)
    family_situation: str | None = Field(default=None, max_length=500)

    @field_validator("birth_date")
    @classmethod
    def _plausible(cls, value: date | None) -> date | None:
        if value is not None and not date(1900, 1, 1) <= value <= date.today():
            raise ValueError("birth_date must lie between 1900-01-01 and today")
        return value


class ConsentIn(BaseModel):
    # the document says what _purposes_with_consent checks: consent names a purpose
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "if": {"properties": {"given": {"const": True}}, "required": ["given"]},
            "then": {"required": ["purposes"], "properties": {"purposes": {"minItems": 1}}},
        },
    )

    given: bool = Field(
        description="Without consent no case is opened: only an anonymous counselling contact "
        "is recorded, and nothing about the person is stored"
    )
    purposes: list[ConsentPurpose] = Field(
        default_factory=list,
        max_length=len(ConsentPurpose),
        description="At least one when consent is given",
    )
    given_at: date = Field(
        default_factory=date.today, description="The day of consent, or of the contact"
    )

    @model_validator(mode="after")
    def _purposes_with_consent(self) -> ConsentIn:
        if self.given and not self.purposes:
            raise ValueError("consent needs at least one purpose")
        return self

    @field_validator("purposes")
    @classmethod
    def _distinct(cls, value: list[ConsentPurpose]) -> list[ConsentPurpose]:
        return list(dict.fromkeys(value))

    @field_validator("given_at")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > date.today():
            raise ValueError("given_at cannot lie in the future")
        return value


class IntakeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person: PersonIn
    consent: ConsentIn
    case_manager: StaffId | None = Field(default=None, description="Default: the acting user")
    topics: list[NeedArea] = Field(
        default_factory=list,
        max_length=len(NeedArea),
        description="What the contact was about; kept for anonymous counselling contacts",
    )


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_manager: StaffId


class ShareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_manager: StaffId = Field(description="The colleague who may see and work on the case")


class AssessmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    needs: list[NeedArea] = Field(max_length=len(NeedArea))
    languages: Languages = Field(default_factory=list)
    school_qualification: str | None = Field(default=None, max_length=200)
    vocational_qualification: str | None = Field(default=None, max_length=500)
    work_experience: str | None = Field(default=None, max_length=5_000)
    notes: Note = None

    @field_validator("needs")
    @classmethod
    def _distinct(cls, value: list[NeedArea]) -> list[NeedArea]:
        return list(dict.fromkeys(value))


class GoalStatus(StrEnum):
    open = "open"
    achieved = "achieved"
    dropped = "dropped"


class GoalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    area: NeedArea
    goal: str = Field(min_length=1, max_length=500)
    target_date: date | None = None
    status: GoalStatus = GoalStatus.open


class PlanIn(BaseModel):
    """The whole plan as it stands now; it replaces the current version, which is kept."""

    model_config = ConfigDict(extra="forbid")

    goals: list[GoalIn] = Field(min_length=1, max_length=50)
    note: Note = None


class ReferralIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offer_id: str = Field(min_length=1, max_length=36)
    note: Note = None


class ReferralResponseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accepted: bool
    decline_reason: DeclineReason | None = None
    note: Note = None

    @model_validator(mode="after")
    def _reason(self) -> ReferralResponseIn:
        if not self.accepted and self.decline_reason is None:
            raise ValueError("decline_reason is required to decline a referral")
        if self.accepted and self.decline_reason is not None:
            raise ValueError("decline_reason applies only when the referral is declined")
        return self


class ReferralCompletionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: ReferralOutcome


class PlacementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    placement_type: PlacementType
    employer_or_provider: str = Field(min_length=1, max_length=200)
    start_date: date
    offer_id: str | None = Field(default=None, min_length=1, max_length=36)


class FollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    still_placed: bool
    note: Note = None


class ClosureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: ClosureReason
    note: Note = None
