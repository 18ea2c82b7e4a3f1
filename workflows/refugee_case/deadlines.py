"""The deadlines of an open or closed refugee case, computed from its state alone.

Pure and deterministic (no clock, no I/O): the workflow asks for the deadlines after every
change, fires those that have passed (``workflow.now()``) and sleeps until the earliest
other one or the next command. One durable timer thus serves any number of referrals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from shared.contracts.cases import (
    CaseStage,
    ClosureReason,
    ReferralStatus,
    RefugeeCaseInput,
    RefugeeCaseState,
)


class DeadlineKind(StrEnum):
    referral_reminder = "referral_reminder"
    referral_escalation = "referral_escalation"
    follow_up = "follow_up"
    inactivity = "inactivity"
    erasure = "erasure"


@dataclass(frozen=True)
class Deadline:
    at: datetime
    kind: DeadlineKind
    referral_id: str = ""
    number: int = 0


# Open stages in which a case is expected to move: a placed case waits for its check-ins.
INACTIVITY_STAGES = (CaseStage.intake, CaseStage.in_progress, CaseStage.follow_up)


def deadlines(state: RefugeeCaseState, periods: RefugeeCaseInput) -> list[Deadline]:
    """Every deadline still ahead of the case (or passed and not yet acted on), earliest
    first."""
    if state.erased:
        return []
    if state.stage is CaseStage.closed:
        return [_erasure(state, periods)] if state.closed_at is not None else []
    found: list[Deadline] = []
    reminder = timedelta(days=periods.referral_reminder_days)
    escalation = reminder + timedelta(days=periods.referral_escalation_days)
    for referral in state.referrals:
        if referral.status is not ReferralStatus.sent or referral.sent_at is None:
            continue
        if not referral.reminded:
            found.append(
                Deadline(
                    referral.sent_at + reminder,
                    DeadlineKind.referral_reminder,
                    referral_id=referral.referral_id,
                )
            )
        elif not referral.escalated:
            found.append(
                Deadline(
                    referral.sent_at + escalation,
                    DeadlineKind.referral_escalation,
                    referral_id=referral.referral_id,
                )
            )
    follow_up = next_follow_up(state, periods)
    if follow_up is not None and state.stage in (CaseStage.placed, CaseStage.follow_up):
        found.append(Deadline(follow_up, DeadlineKind.follow_up, number=state.follow_ups_due + 1))
    if state.stage in INACTIVITY_STAGES and state.last_activity_at is not None:
        quiet_since = max(
            state.last_activity_at, state.inactivity_reminded_at or state.last_activity_at
        )
        found.append(
            Deadline(quiet_since + timedelta(days=periods.inactivity_days), DeadlineKind.inactivity)
        )
    return sorted(found, key=lambda d: (d.at, d.kind.value, d.referral_id))


def next_follow_up(state: RefugeeCaseState, periods: RefugeeCaseInput) -> datetime | None:
    """When the next check-in after the placement's start falls due (None after the last
    one)."""
    schedule = periods.follow_up_schedule_days
    start = state.checkins_from or state.placed_at
    if start is None or state.follow_ups_due >= len(schedule):
        return None
    return start + timedelta(days=schedule[state.follow_ups_due])


def _erasure(state: RefugeeCaseState, periods: RefugeeCaseInput) -> Deadline:
    assert state.closed_at is not None
    if state.closure_reason is ClosureReason.consent_withdrawn:
        return Deadline(state.closed_at, DeadlineKind.erasure)
    return Deadline(state.closed_at + timedelta(days=periods.retention_days), DeadlineKind.erasure)
