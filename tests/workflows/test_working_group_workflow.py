"""WorkingGroupWorkflow on the time-skipping server, across the real periods: the
invitation reminder N days before a meeting, an action item's reminder before it is due and
its overdue notice after, and what a command that does not fit is refused with."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from shared.contracts import coordination
from shared.contracts.coordination import (
    ActionItemCommand,
    AddActionItemCommand,
    CloseGroupCommand,
    GroupStage,
    MeetingCommand,
    MemberKind,
    MemberRef,
    OwnerKind,
    OwnerRef,
    ScheduleMeetingCommand,
    SetMembersCommand,
    WorkingGroupInput,
    WorkingGroupQueries,
    WorkingGroupState,
    WorkingGroupUpdates,
)
from tests.workflows.conftest import Harness
from tests.workflows.handles import query, update

DAY = timedelta(days=1)
COORDINATOR = "clara.coord"


async def _start(harness: Harness, **periods: Any) -> tuple[str, WorkflowHandle[Any, Any]]:
    group_id = str(uuid.uuid4())
    workflow_input = WorkingGroupInput(group_id=group_id, coordinator=COORDINATOR, **periods)
    workflow_id = coordination.workflow_id(group_id)
    await harness.env.client.start_workflow(
        coordination.WORKFLOW_NAME, workflow_input, id=workflow_id, task_queue=harness.task_queue
    )
    return group_id, harness.env.client.get_workflow_handle(
        workflow_id, result_type=WorkingGroupState
    )


def _events(harness: Harness, group_id: str, kind: str) -> list[dict[str, Any]]:
    return [
        e.data
        for e in harness.published.events
        if e.subject == group_id and e.type == f"wir.coordination.{kind}"
    ]


async def _today(harness: Harness) -> datetime:
    return await harness.env.get_current_time()


async def test_invitation_reminder_comes_lead_days_before_the_meeting(harness: Harness) -> None:
    group_id, handle = await _start(harness, invitation_lead_days=10)
    now = await _today(harness)
    meeting, invited = str(uuid.uuid4()), str(uuid.uuid4())
    for meeting_id in (meeting, invited):
        await update(
            handle,
            WorkingGroupUpdates.schedule_meeting,
            ScheduleMeetingCommand(
                actor=COORDINATOR, meeting_id=meeting_id, starts_at=now + 30 * DAY
            ),
        )
    await update(
        handle,
        WorkingGroupUpdates.send_invitation,
        MeetingCommand(actor=COORDINATOR, meeting_id=invited),
    )

    await harness.env.sleep(20 * DAY - timedelta(hours=1))
    assert _events(harness, group_id, "invitation_reminder_due") == []
    await harness.env.sleep(2 * timedelta(hours=1))
    (reminder,) = _events(harness, group_id, "invitation_reminder_due")
    assert reminder["meeting_id"] == meeting  # not the one invited already
    assert reminder["coordinator"] == COORDINATOR
    assert reminder["days_before"] == 9  # 10 days less the hour the test slept past it

    await harness.env.sleep(40 * DAY)
    assert len(_events(harness, group_id, "invitation_reminder_due")) == 1


async def test_action_item_reminder_before_due_then_overdue(harness: Harness) -> None:
    group_id, handle = await _start(harness, item_reminder_days=3)
    now = await _today(harness)
    due = (now + 20 * DAY).date()
    item, done = str(uuid.uuid4()), str(uuid.uuid4())
    owner = OwnerRef(kind=OwnerKind.staff, id="olga.staff")
    for item_id in (item, done):
        await update(
            handle,
            WorkingGroupUpdates.add_action_item,
            AddActionItemCommand(actor=COORDINATOR, item_id=item_id, owner=owner, due_date=due),
        )
    await update(
        handle,
        WorkingGroupUpdates.complete_action_item,
        ActionItemCommand(actor="olga.staff", item_id=done),
    )
    reminder_at = datetime.combine(due - 3 * DAY, time(0), tzinfo=UTC)

    await harness.env.sleep(reminder_at - now - timedelta(minutes=5))
    assert _events(harness, group_id, "action_item_reminder_due") == []
    await harness.env.sleep(timedelta(minutes=10))
    (reminder,) = _events(harness, group_id, "action_item_reminder_due")
    assert reminder["item_id"] == item
    assert reminder["owner"] == {"kind": "staff", "id": "olga.staff"}
    assert reminder["days_left"] == 3

    overdue_at = datetime.combine(due + DAY, time(0), tzinfo=UTC)
    await harness.env.sleep(overdue_at - reminder_at - timedelta(minutes=10))
    assert _events(harness, group_id, "action_item_overdue") == []
    await harness.env.sleep(timedelta(minutes=10))
    (overdue,) = _events(harness, group_id, "action_item_overdue")
    assert overdue["item_id"] == item and overdue["due_date"] == due.isoformat()
    assert all(e["item_id"] == item for e in _events(harness, group_id, "action_item_overdue"))


async def test_commands_that_do_not_fit_are_refused_and_closing_ends_the_deadlines(
    harness: Harness,
) -> None:
    group_id, handle = await _start(harness)
    members = [
        MemberRef(kind=MemberKind.actor, id="a1"),
        MemberRef(kind=MemberKind.contact, id="c1"),
        MemberRef(kind=MemberKind.staff, id="olga.staff"),
    ]
    await update(
        handle,
        WorkingGroupUpdates.set_members,
        SetMembersCommand(actor=COORDINATOR, members=members),
    )
    with pytest.raises(WorkflowUpdateFailedError):
        await update(
            handle,
            WorkingGroupUpdates.send_invitation,
            MeetingCommand(actor=COORDINATOR, meeting_id="no-such-meeting"),
        )
    due = (await _today(harness)).date() + timedelta(days=400)
    await update(
        handle,
        WorkingGroupUpdates.add_action_item,
        AddActionItemCommand(
            actor=COORDINATOR,
            item_id="i1",
            owner=OwnerRef(kind=OwnerKind.contact, id="c1"),
            due_date=due,
        ),
    )
    await update(handle, WorkingGroupUpdates.close, CloseGroupCommand(actor=COORDINATOR))
    state = await handle.result()
    assert state.stage is GroupStage.closed
    assert (await query(handle, WorkingGroupQueries.state)).items[0].reminded is False
    types = [e.type.rsplit(".", 1)[1] for e in harness.published.events if e.subject == group_id]
    assert types == ["group_formed", "group_members_changed", "action_item_added", "group_closed"]
