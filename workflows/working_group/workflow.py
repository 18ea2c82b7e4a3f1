"""``WorkingGroupWorkflow``: one working group of the WIR coordination office.

active ─close─> closed (the workflow ends)

A group with a cadence (``set_cadence``) meets regularly: the workflow plans the cycle's
next meeting at once and each further one when the last has begun (``meeting_scheduled``
without an actor), and each is reminded as below.

The workflow keeps the group's meeting cycle and its action items' deadlines in one loop
(see ``deadlines``): a reminder to the coordinator to send a meeting's invitation
``invitation_lead_days`` before it, a reminder to an action item's owner
``item_reminder_days`` before it is due, and an overdue notice the day after. Only ids,
codes and dates pass through here; names, addresses, agendas and minutes are in the
coordination service's database alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.coordination import KIND as GROUP_KIND
    from shared.contracts.coordination import (
        WORKFLOW_NAME,
        GroupStage,
        MeetingState,
        WorkingGroupInput,
        WorkingGroupQueries,
        WorkingGroupState,
    )
    from shared.contracts.events.coordination import (
        ActionItemOverdue,
        ActionItemReminderDue,
        InvitationReminderDue,
        MeetingScheduled,
        WorkingGroupFormed,
    )
    from shared.temporal import KIND, STAGE
    from workflows.working_group.commands import GroupCommands
    from workflows.working_group.cycle import next_occurrence
    from workflows.working_group.deadlines import Deadline, DeadlineKind, deadlines


#: The meeting cycle (a cadence plans each next meeting). Runs without a cadence never
#: reach it, since only the ``set_cadence`` update gives one.
MEETING_CYCLE = "meeting-cycle"


@workflow.defn(name=WORKFLOW_NAME)
class WorkingGroupWorkflow(GroupCommands):
    """The run method and its deadline loop; the commands live in ``GroupCommands``."""

    @workflow.init
    def __init__(self, input: WorkingGroupInput) -> None:
        super().__init__(input)

    @workflow.run
    async def run(self, input: WorkingGroupInput) -> WorkingGroupState:
        workflow.upsert_search_attributes(
            [KIND.value_set(GROUP_KIND), STAGE.value_set(self._state.stage.value)]
        )
        if input.resume is None:
            await self._emit(WorkingGroupFormed, actor=input.coordinator)
        await self._run_deadlines()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _run_deadlines(self) -> None:
        """Fire each deadline that has passed, then sleep until the next one or a command."""
        while self._state.stage is not GroupStage.closed:
            pending = deadlines(self._state, self._input)
            now = workflow.now()
            if pending and pending[0].at <= now:
                await self._fire(pending[0], now)
                continue
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self._input.model_copy(update={"resume": self._state}))
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    self._changed_since(self._state.seq),
                    timeout=pending[0].at - now if pending else None,
                )

    def _changed_since(self, seq: int) -> Callable[[], bool]:
        return lambda: self._state.seq != seq or workflow.info().is_continue_as_new_suggested()

    async def _fire(self, deadline: Deadline, now: datetime) -> None:
        if deadline.kind is DeadlineKind.plan_meeting:
            if workflow.patched(MEETING_CYCLE):
                await self._plan_meeting(now)
            else:  # a history from before the cycle cannot have a cadence; be safe
                self._state.cadence = None
            return
        if deadline.kind is DeadlineKind.invitation_reminder:
            meeting = self._state.meeting(deadline.ref)
            assert meeting is not None
            meeting.invitation_reminded = True
            await self._emit(
                InvitationReminderDue,
                meeting_id=meeting.meeting_id,
                starts_at=meeting.starts_at,
                days_before=max(0, (meeting.starts_at - now).days),
            )
            return
        item = self._state.item(deadline.ref)
        assert item is not None
        fields = {"item_id": item.item_id, "owner": item.owner, "due_date": item.due_date}
        if deadline.kind is DeadlineKind.item_reminder:
            item.reminded = True
            days_left = (item.due_date - now.date()).days
            if days_left >= 0:  # an item added after its due date gets the overdue notice only
                await self._emit(ActionItemReminderDue, days_left=days_left, **fields)
            return
        item.overdue = True
        await self._emit(ActionItemOverdue, **fields)

    async def _plan_meeting(self, now: datetime) -> None:
        """The cycle's next meeting after ``now``; its invitation is reminded like any
        meeting's, ``invitation_lead_days`` before it."""
        cadence = self._state.cadence
        assert cadence is not None
        number, starts_at = next_occurrence(cadence, self._state.cycle_next, now)
        meeting = MeetingState(meeting_id=str(workflow.uuid4()), starts_at=starts_at)
        self._state.meetings.append(meeting)
        self._state.cycle_next = number + 1
        self._state.cycle_meeting_id = meeting.meeting_id
        await self._emit(
            MeetingScheduled,
            meeting_id=meeting.meeting_id,
            starts_at=starts_at,
            online=cadence.online,
        )

    @workflow.query(name=WorkingGroupQueries.state.name)
    def state(self) -> WorkingGroupState:
        return self._state
