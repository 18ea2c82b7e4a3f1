"""The working group's commands: members, meetings, action items, closing."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.coordination import (
        ActionItemCommand,
        ActionItemState,
        AddActionItemCommand,
        CloseGroupCommand,
        GroupCommandResult,
        GroupStage,
        ItemStatus,
        MeetingCommand,
        MeetingState,
        MeetingStatus,
        MemberKind,
        RecordMeetingCommand,
        ScheduleMeetingCommand,
        SetCadenceCommand,
        SetMembersCommand,
        WorkingGroupUpdates,
    )
    from shared.contracts.events.coordination import (
        ActionItemAdded,
        ActionItemDone,
        GroupCadenceSet,
        GroupMembersChanged,
        InvitationSent,
        MeetingCancelled,
        MeetingHeld,
        MeetingScheduled,
        WorkingGroupClosed,
    )
    from workflows.working_group.base import WorkingGroupBase, conflict, invalid


class GroupCommands(WorkingGroupBase):
    @workflow.update(name=WorkingGroupUpdates.set_members.name)
    async def set_members(self, command: SetMembersCommand) -> GroupCommandResult:
        await self._after_forming()
        self._state.members = list(command.members)
        return await self._done(GroupMembersChanged, actor=command.actor, members=command.members)

    @set_members.validator
    def _validate_set_members(self, command: SetMembersCommand) -> None:
        self._require_active("change the members")
        keys = [(m.kind, m.id) for m in command.members]
        if len(set(keys)) != len(keys):
            raise invalid("a member is named twice")

    @workflow.update(name=WorkingGroupUpdates.schedule_meeting.name)
    async def schedule_meeting(self, command: ScheduleMeetingCommand) -> GroupCommandResult:
        await self._after_forming()
        self._state.meetings.append(
            MeetingState(meeting_id=command.meeting_id, starts_at=command.starts_at)
        )
        return await self._done(
            MeetingScheduled,
            actor=command.actor,
            meeting_id=command.meeting_id,
            starts_at=command.starts_at,
            online=command.online,
        )

    @schedule_meeting.validator
    def _validate_schedule_meeting(self, command: ScheduleMeetingCommand) -> None:
        self._require_active("schedule a meeting")
        if self._state.meeting(command.meeting_id) is not None:
            raise conflict(f"meeting {command.meeting_id} exists already")
        if command.starts_at <= workflow.now():
            raise invalid("a meeting is scheduled for a time ahead")

    def _scheduled(self, meeting_id: str, action: str) -> MeetingState:
        self._require_active(action)
        meeting = self._state.meeting(meeting_id)
        if meeting is None:
            raise invalid(f"the group has no meeting {meeting_id}")
        if meeting.status is not MeetingStatus.scheduled:
            raise conflict(f"cannot {action}: the meeting is {meeting.status.value}")
        return meeting

    @workflow.update(name=WorkingGroupUpdates.send_invitation.name)
    async def send_invitation(self, command: MeetingCommand) -> GroupCommandResult:
        meeting = self._scheduled(command.meeting_id, "send the invitation")
        meeting.invited = True
        invitees = [m for m in self._state.members if m.kind is not MemberKind.actor]
        return await self._done(
            InvitationSent,
            actor=command.actor,
            meeting_id=meeting.meeting_id,
            starts_at=meeting.starts_at,
            invitees=invitees,
        )

    @send_invitation.validator
    def _validate_send_invitation(self, command: MeetingCommand) -> None:
        meeting = self._scheduled(command.meeting_id, "send the invitation")
        if meeting.invited:
            raise conflict("the invitation was sent already")

    @workflow.update(name=WorkingGroupUpdates.record_meeting.name)
    async def record_meeting(self, command: RecordMeetingCommand) -> GroupCommandResult:
        meeting = self._scheduled(command.meeting_id, "record the meeting")
        meeting.status = MeetingStatus.held
        return await self._done(
            MeetingHeld,
            actor=command.actor,
            meeting_id=meeting.meeting_id,
            starts_at=meeting.starts_at,
            attendee_count=command.attendee_count,
        )

    @record_meeting.validator
    def _validate_record_meeting(self, command: RecordMeetingCommand) -> None:
        self._scheduled(command.meeting_id, "record the meeting")

    @workflow.update(name=WorkingGroupUpdates.cancel_meeting.name)
    async def cancel_meeting(self, command: MeetingCommand) -> GroupCommandResult:
        meeting = self._scheduled(command.meeting_id, "cancel the meeting")
        meeting.status = MeetingStatus.cancelled
        return await self._done(
            MeetingCancelled,
            actor=command.actor,
            meeting_id=meeting.meeting_id,
            starts_at=meeting.starts_at,
        )

    @cancel_meeting.validator
    def _validate_cancel_meeting(self, command: MeetingCommand) -> None:
        self._scheduled(command.meeting_id, "cancel the meeting")

    @workflow.update(name=WorkingGroupUpdates.add_action_item.name)
    async def add_action_item(self, command: AddActionItemCommand) -> GroupCommandResult:
        await self._after_forming()
        item = ActionItemState(
            item_id=command.item_id, owner=command.owner, due_date=command.due_date
        )
        self._state.items.append(item)
        return await self._done(
            ActionItemAdded,
            actor=command.actor,
            item_id=item.item_id,
            owner=item.owner,
            due_date=item.due_date,
            meeting_id=command.meeting_id,
        )

    @add_action_item.validator
    def _validate_add_action_item(self, command: AddActionItemCommand) -> None:
        self._require_active("add an action item")
        if self._state.item(command.item_id) is not None:
            raise conflict(f"action item {command.item_id} exists already")
        if command.meeting_id is not None and self._state.meeting(command.meeting_id) is None:
            raise invalid(f"the group has no meeting {command.meeting_id}")

    def _open_item(self, item_id: str) -> ActionItemState:
        self._require_active("complete an action item")
        item = self._state.item(item_id)
        if item is None:
            raise invalid(f"the group has no action item {item_id}")
        if item.status is not ItemStatus.open:
            raise conflict("the action item is done already")
        return item

    @workflow.update(name=WorkingGroupUpdates.complete_action_item.name)
    async def complete_action_item(self, command: ActionItemCommand) -> GroupCommandResult:
        item = self._open_item(command.item_id)
        item.status = ItemStatus.done
        return await self._done(
            ActionItemDone,
            actor=command.actor,
            item_id=item.item_id,
            owner=item.owner,
            due_date=item.due_date,
        )

    @complete_action_item.validator
    def _validate_complete_action_item(self, command: ActionItemCommand) -> None:
        self._open_item(command.item_id)

    @workflow.update(name=WorkingGroupUpdates.close.name)
    async def close(self, command: CloseGroupCommand) -> GroupCommandResult:
        self._require_active("close the group")
        self._set_stage(GroupStage.closed)
        return await self._done(WorkingGroupClosed, actor=command.actor)

    @close.validator
    def _validate_close(self, command: CloseGroupCommand) -> None:
        self._require_active("close the group")

    @workflow.update(name=WorkingGroupUpdates.set_cadence.name)
    async def set_cadence(self, command: SetCadenceCommand) -> GroupCommandResult:
        """A new cycle starts from its first meeting; meetings planned by the old one stay
        (the office cancels those it does not want)."""
        await self._after_forming()
        self._state.cadence = command.cadence
        self._state.cycle_next = 0
        self._state.cycle_meeting_id = None
        return await self._done(GroupCadenceSet, actor=command.actor, cadence=command.cadence)

    @set_cadence.validator
    def _validate_set_cadence(self, command: SetCadenceCommand) -> None:
        self._require_active("set the meeting cycle")
        if command.cadence is not None and command.cadence.first_starts_at <= workflow.now():
            raise invalid("the cycle's first meeting is at a time ahead")
        if command.cadence is None and self._state.cadence is None:
            raise conflict("the group has no meeting cycle")
