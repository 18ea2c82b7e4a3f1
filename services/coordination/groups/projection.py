"""The read model's projection of the working group workflow's events, on the shared
skeleton (shared/projection.py).

Both the API (with an update's result) and the event consumer apply events here; whichever
comes second finds the event recorded and changes nothing. The reminders and overdue
notices come from the workflow's deadlines and arrive through the consumer alone. Meetings
and action items are rows of their own that one event each changes, so they are projected
in :meth:`GroupProjection.once`; a meeting or item whose event arrives before the API's
commit is created here without its texts, which the API adds.
"""

from __future__ import annotations

from sqlalchemy import delete

from services.coordination.groups.models import ActionItem, GroupEvent, GroupMember, Meeting
from services.coordination.groups.models import WorkingGroup as Group
from shared.contracts.envelope import CloudEvent, EventData
from shared.contracts.events import coordination as events
from shared.projection import Projection

#: The working groups' event types begin with these (services/coordination/NOTES.md).
GROUP_EVENT_PREFIXES = ("group_", "meeting_", "invitation_", "action_item_")


class GroupProjection(Projection[Group]):
    entity = Group
    history = GroupEvent
    entity_key = "group_id"

    async def once(self, entity: Group, payload: EventData, event: CloudEvent) -> None:
        match payload:
            case events.GroupMembersChanged() if payload.seq > entity.seq:
                await self.session.execute(
                    delete(GroupMember).where(GroupMember.group_id == entity.id)
                )
                for member in payload.members:
                    self.session.add(
                        GroupMember(group_id=entity.id, kind=member.kind, member_id=member.id)
                    )
            case events.GroupCadenceSet() if payload.seq > entity.seq:
                cadence = payload.cadence
                entity.cadence = cadence.model_dump(mode="json") if cadence else None
            case events.MeetingEvent():
                await self._meeting(entity, payload, event)
            case events.ActionItemEvent():
                await self._item(entity, payload, event)

    async def _meeting(self, group: Group, payload: events.MeetingEvent, event: CloudEvent) -> None:
        meeting = await self.session.get(Meeting, payload.meeting_id)
        if meeting is None:
            meeting = Meeting(id=payload.meeting_id, group_id=group.id, agenda="")
            self.session.add(meeting)
        meeting.starts_at = payload.starts_at
        match payload:
            case events.MeetingScheduled():
                meeting.status = meeting.status or "scheduled"
            case events.InvitationReminderDue():
                meeting.invitation_reminded_at = event.time
            case events.InvitationSent():
                meeting.invited_at = event.time
            case events.MeetingHeld():
                meeting.status = "held"
                meeting.attendee_count = payload.attendee_count
            case events.MeetingCancelled():
                meeting.status = "cancelled"

    async def _item(self, group: Group, payload: events.ActionItemEvent, event: CloudEvent) -> None:
        item = await self.session.get(ActionItem, payload.item_id)
        if item is None:
            item = ActionItem(id=payload.item_id, group_id=group.id, title="", status="open")
            self.session.add(item)
        item.owner_kind, item.owner_id = payload.owner.kind, payload.owner.id
        item.due_date = payload.due_date
        match payload:
            case events.ActionItemAdded():
                item.meeting_id = payload.meeting_id
            case events.ActionItemReminderDue():
                item.reminded_at = event.time
            case events.ActionItemOverdue():
                item.overdue_at = event.time
            case events.ActionItemDone():
                item.status = "done"
                item.done_at = event.time

    def newest(self, entity: Group, payload: EventData, event: CloudEvent) -> None:
        entity.stage = payload.stage
        entity.updated_at = event.time
