"""Working group scenarios whose histories the replay test keeps (record_histories)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from shared.contracts import coordination
from shared.contracts.coordination import (
    ActionItemCommand,
    AddActionItemCommand,
    CloseGroupCommand,
    MeetingCadence,
    MeetingCommand,
    MemberKind,
    MemberRef,
    OwnerKind,
    OwnerRef,
    RecordMeetingCommand,
    ScheduleMeetingCommand,
    SetCadenceCommand,
    SetMembersCommand,
    WorkingGroupInput,
    WorkingGroupQueries,
)
from shared.contracts.coordination import WorkingGroupUpdates as Updates
from tests.workflows.grant_scenarios import Save
from tests.workflows.handles import query, update

DAY = timedelta(days=1)


async def group_cycle_scenario(env: WorkflowEnvironment, queue: str, save: Save) -> None:
    """Members, two meetings (one invited in time, one whose invitation reminder fires, then
    held), two action items (one done, one reminded and overdue), a cancelled meeting and
    the group closed."""
    client = env.client
    group = WorkingGroupInput(
        group_id=str(uuid.uuid4()), coordinator="c", invitation_lead_days=7, item_reminder_days=2
    )
    wid = coordination.workflow_id(group.group_id)
    started = await client.start_workflow(
        coordination.WORKFLOW_NAME, group, id=wid, task_queue=queue
    )
    handle = client.get_workflow_handle(wid)
    now = await env.get_current_time()
    members = [MemberRef(kind=MemberKind.staff, id="s"), MemberRef(kind=MemberKind.contact, id="k")]
    await update(handle, Updates.set_members, SetMembersCommand(actor="c", members=members))
    first, second, third = "m1", "m2", "m3"
    for meeting, days in ((first, 10), (second, 20), (third, 30)):
        await update(
            handle,
            Updates.schedule_meeting,
            ScheduleMeetingCommand(actor="c", meeting_id=meeting, starts_at=now + days * DAY),
        )
    await update(handle, Updates.send_invitation, MeetingCommand(actor="c", meeting_id=first))
    due = (now + 5 * DAY).date()
    for item in ("i1", "i2"):
        await update(
            handle,
            Updates.add_action_item,
            AddActionItemCommand(
                actor="c",
                item_id=item,
                owner=OwnerRef(kind=OwnerKind.staff, id="s"),
                due_date=due,
                meeting_id=first,
            ),
        )
    await update(handle, Updates.complete_action_item, ActionItemCommand(actor="s", item_id="i1"))
    await env.sleep(11 * DAY)  # i2 reminded and overdue, m1 passed
    await update(
        handle,
        Updates.record_meeting,
        RecordMeetingCommand(actor="c", meeting_id=first, attendee_count=2),
    )
    await env.sleep(3 * DAY)  # m2's invitation reminder (7 days before)
    await update(handle, Updates.send_invitation, MeetingCommand(actor="c", meeting_id=second))
    await update(handle, Updates.cancel_meeting, MeetingCommand(actor="c", meeting_id=third))
    await update(handle, Updates.close, CloseGroupCommand(actor="c"))
    await handle.result()
    await save(client, wid, started.first_execution_run_id, "group-cycle")


async def group_meeting_cycle_scenario(env: WorkflowEnvironment, queue: str, save: Save) -> None:
    """A cadence of every three weeks: three meetings planned and reminded across two
    periods, one held, the cycle ended and the group closed (pins ``meeting-cycle``)."""
    client = env.client
    group = WorkingGroupInput(group_id=str(uuid.uuid4()), coordinator="c", invitation_lead_days=5)
    wid = coordination.workflow_id(group.group_id)
    started = await client.start_workflow(
        coordination.WORKFLOW_NAME, group, id=wid, task_queue=queue
    )
    handle = client.get_workflow_handle(wid)
    first = await env.get_current_time() + 8 * DAY
    cadence = MeetingCadence(first_starts_at=first, every_weeks=3)
    await update(handle, Updates.set_cadence, SetCadenceCommand(actor="c", cadence=cadence))
    await env.sleep(9 * DAY)  # first reminded and begun, the second planned
    state = await query(handle, WorkingGroupQueries.state)
    await update(
        handle,
        Updates.record_meeting,
        RecordMeetingCommand(actor="c", meeting_id=state.meetings[0].meeting_id, attendee_count=4),
    )
    await env.sleep(21 * DAY)  # the second reminded and begun, the third planned
    await update(handle, Updates.set_cadence, SetCadenceCommand(actor="c", cadence=None))
    await update(handle, Updates.close, CloseGroupCommand(actor="c"))
    await handle.result()
    await save(client, wid, started.first_execution_run_id, "group-meeting-cycle")
