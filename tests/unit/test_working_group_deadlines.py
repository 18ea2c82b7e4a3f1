"""The working group's deadlines from its state alone (workflows/working_group/deadlines.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shared.contracts.coordination import (
    ActionItemState,
    GroupStage,
    ItemStatus,
    MeetingState,
    MeetingStatus,
    OwnerKind,
    OwnerRef,
    WorkingGroupInput,
    WorkingGroupState,
)
from workflows.working_group.deadlines import DeadlineKind, deadlines

PERIODS = WorkingGroupInput(
    group_id="g", coordinator="c", invitation_lead_days=10, item_reminder_days=3
)
OWNER = OwnerRef(kind=OwnerKind.staff, id="s")
STARTS = datetime(2027, 5, 20, 9, tzinfo=UTC)


def _state(**fields: object) -> WorkingGroupState:
    return WorkingGroupState(group_id="g", coordinator="c", **fields)


def test_a_meeting_not_yet_invited_to_is_reminded_lead_days_before() -> None:
    invited = MeetingState(meeting_id="a", starts_at=STARTS, invited=True)
    waiting = MeetingState(meeting_id="b", starts_at=STARTS)
    cancelled = MeetingState(meeting_id="c", starts_at=STARTS, status=MeetingStatus.cancelled)
    (only,) = deadlines(_state(meetings=[invited, waiting, cancelled]), PERIODS)
    assert (only.kind, only.ref, only.at) == (
        DeadlineKind.invitation_reminder,
        "b",
        STARTS - timedelta(days=10),
    )


def test_an_open_item_is_reminded_then_overdue_by_utc_days() -> None:
    item = ActionItemState(item_id="i", owner=OWNER, due_date=date(2027, 6, 12))
    reminder, overdue = deadlines(_state(items=[item]), PERIODS)
    assert reminder.kind is DeadlineKind.item_reminder
    assert reminder.at == datetime(2027, 6, 9, tzinfo=UTC)
    assert overdue.kind is DeadlineKind.item_overdue
    assert overdue.at == datetime(2027, 6, 13, tzinfo=UTC)
    reminded = item.model_copy(update={"reminded": True})
    assert [d.kind for d in deadlines(_state(items=[reminded]), PERIODS)] == [
        DeadlineKind.item_overdue
    ]


def test_done_items_and_closed_groups_have_no_deadlines() -> None:
    done = ActionItemState(item_id="i", owner=OWNER, due_date=date(2027, 6, 12))
    done.status = ItemStatus.done
    assert deadlines(_state(items=[done]), PERIODS) == []
    waiting = MeetingState(meeting_id="b", starts_at=STARTS)
    open_item = ActionItemState(item_id="j", owner=OWNER, due_date=date(2027, 6, 12))
    closed = _state(stage=GroupStage.closed, meetings=[waiting], items=[open_item])
    assert deadlines(closed, PERIODS) == []
