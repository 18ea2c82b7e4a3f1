"""Response bodies of cases: the list's summary, the whole case, a provider's view of a
referral and the answer to an intake without consent (no case). Assembled by
``queries.case_out``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.cases.cases.schemas import GoalStatus, NeedArea
from shared.contracts.cases import (
    CaseStage,
    ClosureReason,
    DeclineReason,
    PlacementType,
    ReferralOutcome,
    ReferralStatus,
)
from shared.projection import HistoryActor


class CaseSummary(BaseModel):
    """What a case list shows: codes and dates, no personal data."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    file_number: str = Field(
        description="The case's file number (Aktenzeichen), FM-<year>-<number>, gap-free per year"
    )
    stage: CaseStage
    case_manager: str
    need_count: int
    placement_type: PlacementType | None
    follow_up_due_at: datetime | None
    created_at: datetime
    updated_at: datetime
    person_name: str | None = Field(
        default=None,
        description="Only with names=true, and only on the cases you hold: the person's given "
        "and family name (each such answer is audited as a read of those cases' personal data)",
    )


class PersonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    given_name: str
    family_name: str
    birth_date: date | None
    languages: list[str]
    phone: str | None
    email: str | None
    address: str | None
    residence_status: str | None
    family_situation: str | None


class ConsentOut(BaseModel):
    purposes: list[str]
    given_at: date
    recorded_by: str


class AssessmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    needs: list[NeedArea]
    languages: list[str]
    school_qualification: str | None
    vocational_qualification: str | None
    work_experience: str | None
    notes: str | None
    created_at: datetime
    created_by: str


class GoalOut(BaseModel):
    area: NeedArea
    goal: str | None = Field(description="None once the person's data was erased")
    target_date: date | None
    status: GoalStatus


class PlanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    goals: list[GoalOut]
    note: str | None
    created_at: datetime
    created_by: str


class ReferralRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    offer_id: str
    status: ReferralStatus
    decline_reason: DeclineReason | None
    outcome: ReferralOutcome | None
    note: str | None
    response_note: str | None
    sent_at: datetime
    answered_at: datetime | None
    completed_at: datetime | None
    created_by: str


class ReferralOut(ReferralRow):
    offer_name: str


class ProviderReferralOut(BaseModel):
    """A referral as the provider it is addressed to sees it: ids, codes and dates. The case
    id is pseudonymous; nothing about the person, no notes, not the case file."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    offer_id: str
    status: ReferralStatus
    decline_reason: DeclineReason | None
    outcome: ReferralOutcome | None
    sent_at: datetime
    answered_at: datetime | None
    completed_at: datetime | None


class ShareOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    case_manager: str
    created_at: datetime
    created_by: str


class CaseShareOut(ShareOut):
    """A share as the answer to sharing names it: with the case it belongs to."""

    case_id: str
    file_number: str


class PlacementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    placement_type: PlacementType
    employer_or_provider: str | None
    start_date: date
    offer_id: str | None
    created_at: datetime
    created_by: str


class FollowUpOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    still_placed: bool
    note: str | None
    created_at: datetime
    created_by: str


class ClosureOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reason: ClosureReason
    note: str | None
    created_at: datetime
    created_by: str


class HistoryEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event_id: str
    seq: int
    type: str
    stage: str
    actor: HistoryActor = Field(description="Who caused it; `system` for deadlines and checks")
    time: datetime
    data: dict[str, Any]


class CaseOut(CaseSummary):
    closure_reason: ClosureReason | None
    closed_at: datetime | None
    erased_at: datetime | None
    created_by: str
    workflow_id: str
    person: PersonOut | None = Field(description="None once the person's data was erased")
    possible_duplicates: list[str] = Field(
        description="Cases you may see whose person has the same normalised name and date of birth"
    )
    possible_duplicates_elsewhere: int = Field(
        description="How many more such cases other case managers hold (ids not shown)"
    )
    shared_with: list[ShareOut] = Field(description="Colleagues who may see and work on it")
    consent: ConsentOut
    assessments: list[AssessmentOut]
    plan: PlanOut | None = Field(description="The current version of the plan")
    plan_history: list[PlanOut] = Field(description="Every version, oldest first")
    referrals: list[ReferralOut]
    placements: list[PlacementOut]
    follow_ups: list[FollowUpOut]
    closures: list[ClosureOut]
    history: list[HistoryEntry]


class NoCaseOut(BaseModel):
    """The answer to an intake without consent: no case was opened and nothing about the
    person is stored. An anonymous counselling contact was counted for the statistics; it
    is not a case, and nothing under ``/cases`` serves it."""

    model_config = ConfigDict(from_attributes=True)

    kind: Literal["no_case"] = "no_case"
    counselling_contact_id: str = Field(
        validation_alias="id",
        description="The anonymous contact recorded (for support requests); not a case id",
    )
    case_manager: str
    contact_date: date
    topics: list[NeedArea]
    languages: list[str]
    created_at: datetime
