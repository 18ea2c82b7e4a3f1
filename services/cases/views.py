"""Response bodies of the cases API, and the assembly of a case's full view."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases import caseload, intake, repository
from services.cases.models import (
    Case,
    CaseAssessment,
    CaseClosure,
    CaseFollowUp,
    CasePlacement,
    CasePlan,
    Person,
)
from services.cases.schemas import GoalStatus, NeedArea, OfferCategory
from services.cases.tasks import TaskKind, TaskStatus
from shared.auth import Actor
from shared.contracts import cases
from shared.contracts.cases import (
    CaseStage,
    ClosureReason,
    DeclineReason,
    PlacementType,
    ReferralOutcome,
    ReferralStatus,
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


class CaseSummary(BaseModel):
    """What a case list shows: codes and dates, no personal data."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    stage: CaseStage
    case_manager: str
    need_count: int
    placement_type: PlacementType | None
    follow_up_due_at: datetime | None
    created_at: datetime
    updated_at: datetime


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
    actor: str | None
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


class CounsellingContactOut(BaseModel):
    """An anonymous counselling contact (intake without consent): no person, no case."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: Literal["anonymous_counselling_contact"] = "anonymous_counselling_contact"
    case_manager: str
    contact_date: date
    topics: list[NeedArea]
    languages: list[str]
    created_at: datetime


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    case_manager: str
    kind: TaskKind
    number: int | None
    referral_id: str | None
    due_at: datetime
    status: TaskStatus
    created_at: datetime
    done_at: datetime | None
    done_by: str | None


async def case_out(*, session: AsyncSession, case: Case, viewer: Actor) -> CaseOut:
    """The whole case as ``viewer`` (who may see it) sees it."""
    # None once erased, also when the erasure ran between reading the case and now
    person = await session.get(Person, case.person_id) if case.person_id is not None else None
    referrals = await repository.referrals(session=session, case_id=case.id)
    assessments = await repository.records(session=session, model=CaseAssessment, case_id=case.id)
    placements = await repository.records(session=session, model=CasePlacement, case_id=case.id)
    plans = [
        PlanOut.model_validate(p)
        for p in await repository.records(session=session, model=CasePlan, case_id=case.id)
    ]
    follow_ups = await repository.records(session=session, model=CaseFollowUp, case_id=case.id)
    closures = await repository.records(session=session, model=CaseClosure, case_id=case.id)
    history = await repository.history(session=session, case_id=case.id)
    visible, elsewhere = await intake.possible_duplicates(session=session, case=case, viewer=viewer)
    shares = await caseload.shares(session=session, case_id=case.id)
    return CaseOut(
        **CaseSummary.model_validate(case).model_dump(),
        closure_reason=case.closure_reason,
        closed_at=case.closed_at,
        erased_at=case.erased_at,
        created_by=case.created_by,
        workflow_id=cases.workflow_id(case.id),
        person=PersonOut.model_validate(person) if person is not None else None,
        possible_duplicates=visible,
        possible_duplicates_elsewhere=elsewhere,
        shared_with=[ShareOut.model_validate(s) for s in shares],
        consent=ConsentOut(
            purposes=list(case.consent_purposes),
            given_at=case.consent_given_at,
            recorded_by=case.consent_recorded_by,
        ),
        assessments=[AssessmentOut.model_validate(a) for a in assessments],
        plan=max(plans, key=lambda p: p.version) if plans else None,
        plan_history=sorted(plans, key=lambda p: p.version),
        referrals=[
            ReferralOut(**ReferralRow.model_validate(referral).model_dump(), offer_name=name)
            for referral, name in referrals
        ],
        placements=[PlacementOut.model_validate(p) for p in placements],
        follow_ups=[FollowUpOut.model_validate(f) for f in follow_ups],
        closures=[ClosureOut.model_validate(c) for c in closures],
        history=[HistoryEntry.model_validate(e) for e in history],
    )
