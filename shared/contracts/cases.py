"""Contracts of the refugee case process: stages, codes, workflow input, commands, state.

Everything here is pseudonymous: ids, codes, counts and dates. The person behind a case
is known only to the cases service's database.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, field_validator

from shared.contracts.envelope import CloudEvent
from shared.contracts.refs import QueryRef, UpdateRef

WORKFLOW_NAME = "RefugeeCaseWorkflow"
KIND = "refugee_case"


def workflow_id(case_id: str) -> str:
    return f"refugee-case-{case_id}"


class CaseStage(StrEnum):
    intake = "intake"
    in_progress = "in_progress"
    placed = "placed"
    follow_up = "follow_up"
    closed = "closed"


class ReferralStatus(StrEnum):
    sent = "sent"
    accepted = "accepted"
    declined = "declined"
    completed = "completed"


class DeclineReason(StrEnum):
    no_capacity = "no_capacity"
    not_eligible = "not_eligible"
    no_contact = "no_contact"
    other = "other"


class ReferralOutcome(StrEnum):
    successful = "successful"
    discontinued = "discontinued"
    not_attended = "not_attended"


class PlacementType(StrEnum):
    internship = "internship"
    vocational_training = "vocational_training"
    employment = "employment"
    other_measure = "other_measure"


class ClosureReason(StrEnum):
    placed = "placed"
    moved_away = "moved_away"
    consent_withdrawn = "consent_withdrawn"
    no_contact = "no_contact"
    other = "other"


class ErasureReason(StrEnum):
    retention_elapsed = "retention_elapsed"
    consent_withdrawn = "consent_withdrawn"


class ReferralState(BaseModel):
    referral_id: str
    offer_id: str
    status: ReferralStatus = ReferralStatus.sent
    # When the referral was sent: its answer deadline (reminder, escalation) counts from here.
    sent_at: datetime | None = None
    reminded: bool = False
    escalated: bool = False


class RefugeeCaseState(BaseModel):
    case_id: str
    case_manager: str
    stage: CaseStage = CaseStage.intake
    seq: int = 0
    need_count: int = 0
    referrals: list[ReferralState] = Field(default_factory=list)
    placement_type: PlacementType | None = None
    follow_up_due_at: datetime | None = None
    follow_ups_recorded: int = 0
    closure_reason: ClosureReason | None = None
    # Deadline bookkeeping: what the deadlines of the case are computed from.
    placed_at: datetime | None = None
    # The check-ins count from the placement's start (None: from placed_at, as for runs
    # placed before the patch "checkins-from-start-date").
    checkins_from: datetime | None = None
    follow_ups_due: int = 0
    last_activity_at: datetime | None = None
    inactivity_reminded_at: datetime | None = None
    closed_at: datetime | None = None
    erased: bool = False
    plan_version: int = 0

    def referral(self, referral_id: str) -> ReferralState | None:
        return next((r for r in self.referrals if r.referral_id == referral_id), None)


class RefugeeCaseInput(BaseModel):
    case_id: str
    case_manager: str
    opened_by: str
    consent_purposes: list[str] = Field(min_length=1)
    # The case's file number (Aktenzeichen, FM-2026-00117): names the file, not the person.
    # None for runs started before cases had one.
    file_number: str | None = None
    follow_up_days: int = Field(ge=1)
    reopen_window_days: int = Field(ge=1)
    # The periods of the case's deadlines, copied from the settings at intake.
    referral_reminder_days: int = Field(default=7, ge=1)
    referral_escalation_days: int = Field(default=7, ge=1)
    follow_up_schedule_days: list[int] = Field(default_factory=lambda: [30, 91, 182])
    inactivity_days: int = Field(default=90, ge=1)
    retention_days: int = Field(default=1095, ge=1)
    resume: RefugeeCaseState | None = None

    @field_validator("follow_up_schedule_days")
    @classmethod
    def _ascending(cls, value: list[int]) -> list[int]:
        if not value or any(d < 1 for d in value) or value != sorted(set(value)):
            raise ValueError("follow_up_schedule_days must be distinct positive days, ascending")
        return value


class AssessCommand(BaseModel):
    actor: str
    need_count: int = Field(ge=0)


class ReferCommand(BaseModel):
    actor: str
    referral_id: str
    offer_id: str


class ReferralResponseCommand(BaseModel):
    actor: str
    referral_id: str
    accepted: bool
    decline_reason: DeclineReason | None = None


class CompleteReferralCommand(BaseModel):
    actor: str
    referral_id: str
    outcome: ReferralOutcome


class PlaceCommand(BaseModel):
    actor: str
    placement_type: PlacementType
    offer_id: str | None = None
    # The day the internship, training or job begins; the check-ins count from it.
    start_date: date | None = None


class FollowUpCommand(BaseModel):
    actor: str
    still_placed: bool


class CloseCommand(BaseModel):
    actor: str
    reason: ClosureReason


class ReopenCommand(BaseModel):
    actor: str


class RevisePlanCommand(BaseModel):
    """A new version of the case's plan: its goals' need areas and target dates (codes and
    dates; the goals' wording stays in the cases service)."""

    actor: str
    goal_areas: list[str] = Field(max_length=50)
    next_target_date: date | None = None


class TransferCommand(BaseModel):
    actor: str
    case_manager: str = Field(pattern=r"^[A-Za-z0-9._@-]{1,64}$")


class CaseCommandResult(BaseModel):
    state: RefugeeCaseState
    events: list[CloudEvent]


class RefugeeCaseUpdates:
    """The updates of ``RefugeeCaseWorkflow``, each with its command and result."""

    assess = UpdateRef("assess", AssessCommand, CaseCommandResult)
    refer = UpdateRef("refer", ReferCommand, CaseCommandResult)
    respond_to_referral = UpdateRef(
        "respond_to_referral", ReferralResponseCommand, CaseCommandResult
    )
    complete_referral = UpdateRef("complete_referral", CompleteReferralCommand, CaseCommandResult)
    place = UpdateRef("place", PlaceCommand, CaseCommandResult)
    revise_plan = UpdateRef("revise_plan", RevisePlanCommand, CaseCommandResult)
    record_follow_up = UpdateRef("record_follow_up", FollowUpCommand, CaseCommandResult)
    close = UpdateRef("close", CloseCommand, CaseCommandResult)
    reopen = UpdateRef("reopen", ReopenCommand, CaseCommandResult)
    transfer = UpdateRef("transfer", TransferCommand, CaseCommandResult)


class RefugeeCaseQueries:
    """The queries of ``RefugeeCaseWorkflow``."""

    state = QueryRef("state", RefugeeCaseState)
