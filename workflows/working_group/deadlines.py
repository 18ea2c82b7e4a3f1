"""The deadlines of a working group, computed from its state alone.

Pure and deterministic (no clock, no I/O): the workflow asks for them after every change,
fires those that have passed and sleeps until the earliest other one or the next command.
Dates are days in UTC: an item due on 12 March is reminded at 00:00 UTC of 12 March minus
the reminder days, and is overdue from 00:00 UTC of 13 March.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from shared.contracts.coordination import (
    GroupStage,
    ItemStatus,
    MeetingStatus,
    WorkingGroupInput,
    WorkingGroupState,
)


class DeadlineKind(StrEnum):
    invitation_reminder = "invitation_reminder"
    item_reminder = "item_reminder"
    item_overdue = "item_overdue"
    #: the meeting cycle's next meeting is to be planned (the last one has begun)
    plan_meeting = "plan_meeting"


#: A deadline that is due at once.
AT_ONCE = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Deadline:
    at: datetime
    kind: DeadlineKind
    ref: str  # the meeting's or the action item's id


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def deadlines(state: WorkingGroupState, periods: WorkingGroupInput) -> list[Deadline]:
    """Every deadline still ahead of the group (or passed and not yet acted on), earliest
    first."""
    if state.stage is GroupStage.closed:
        return []
    found: list[Deadline] = []
    if state.cadence is not None:
        planned = state.meeting(state.cycle_meeting_id) if state.cycle_meeting_id else None
        at = planned.starts_at if planned is not None else AT_ONCE
        found.append(Deadline(at, DeadlineKind.plan_meeting, "cycle"))
    lead = timedelta(days=periods.invitation_lead_days)
    for meeting in state.meetings:
        waiting = meeting.status is MeetingStatus.scheduled and not meeting.invited
        if waiting and not meeting.invitation_reminded:
            at = meeting.starts_at - lead
            found.append(Deadline(at, DeadlineKind.invitation_reminder, meeting.meeting_id))
    before = timedelta(days=periods.item_reminder_days)
    for item in state.items:
        if item.status is not ItemStatus.open:
            continue
        if not item.reminded:
            at = start_of(item.due_date) - before
            found.append(Deadline(at, DeadlineKind.item_reminder, item.item_id))
        if not item.overdue:
            at = start_of(item.due_date + timedelta(days=1))
            found.append(Deadline(at, DeadlineKind.item_overdue, item.item_id))
    return sorted(found, key=lambda d: (d.at, d.kind.value, d.ref))
