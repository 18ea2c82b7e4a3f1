"""Response bodies of a case manager's work (tasks, caseload) and of the district's
anonymous figures, and the tasks' codes."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.cases import CaseStage


class TaskKind(StrEnum):
    follow_up = "follow_up"
    referral_reminder = "referral_reminder"
    referral_escalation = "referral_escalation"
    inactivity = "inactivity"


class TaskStatus(StrEnum):
    open = "open"
    done = "done"
    cancelled = "cancelled"


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    case_id: str
    file_number: str | None = Field(description="The case's file number (Aktenzeichen)")
    case_manager: str
    kind: TaskKind
    number: int | None
    referral_id: str | None
    due_at: datetime
    status: TaskStatus
    created_at: datetime
    done_at: datetime | None
    done_by: str | None


class Caseload(BaseModel):
    case_manager: str
    open_cases: int
    by_stage: dict[CaseStage, int]
    open_tasks: int


class ReferralFigures(BaseModel):
    category: str
    sent: int
    accepted: int
    declined: int
    unanswered: int
    completed: int
    acceptance_rate: float | None  # accepted / answered
    mean_days_to_answer: float | None


class Statistics(BaseModel):
    period_from: date
    period_to: date
    cases_opened: int
    cases_by_stage: dict[str, int]
    anonymous_contacts: int
    needs: dict[str, int]
    referrals: list[ReferralFigures]
    placements_by_type: dict[str, int]
    follow_ups_due: int
    follow_up_outcomes: dict[str, int]
    closures_by_reason: dict[str, int]
    employment_steps: dict[str, int]  # "<kind>:<status>", e.g. "internship:ongoing"
    interpreter_bookings: dict[str, int]  # by status
    erased_cases: int
