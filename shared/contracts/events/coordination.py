"""Events of the WIR coordination office (``wir.coordination.*``): the working groups.

Only ids, codes and dates: never a contact person's name, e-mail or telephone number (they
are personal data, kept in the coordination service's database alone), never free text
such as an agenda or minutes. An actor's contact person appears as its contact id.

Part 2 (specialist days, measures, the activity report) has its events in
``coordination_activities.py``, on the same :class:`CoordinationEvent` base.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from shared.contracts.coordination import MeetingCadence, MemberRef, OwnerRef
from shared.contracts.envelope import EventData, register


class CoordinationEvent(EventData):
    """Base of every ``wir.coordination.*`` event."""


class WorkingGroupEvent(CoordinationEvent):
    group_id: str
    #: the staff user id of the coordinator who keeps the group
    coordinator: str

    def entity_id(self) -> str:
        return self.group_id


@register
class WorkingGroupFormed(WorkingGroupEvent):
    """The coordination office formed a working group (its workflow started)."""

    event_type: ClassVar[str] = "wir.coordination.group_formed"


@register
class GroupMembersChanged(WorkingGroupEvent):
    """The group's members now are these actors, staff and contact persons (by id)."""

    event_type: ClassVar[str] = "wir.coordination.group_members_changed"
    members: list[MemberRef]


@register
class WorkingGroupClosed(WorkingGroupEvent):
    """The group ended its work; its open deadlines end with it."""

    event_type: ClassVar[str] = "wir.coordination.group_closed"


@register
class GroupCadenceSet(WorkingGroupEvent):
    """The group meets regularly by ``cadence`` now (none: the cycle ended). The workflow
    plans each next meeting (``meeting_scheduled`` without an actor) and reminds the
    coordinator of its invitation as of any meeting."""

    event_type: ClassVar[str] = "wir.coordination.group_cadence_set"
    cadence: MeetingCadence | None


class MeetingEvent(WorkingGroupEvent):
    meeting_id: str
    starts_at: datetime


@register
class MeetingScheduled(MeetingEvent):
    """A meeting of the group was set for a date, in a place or online."""

    event_type: ClassVar[str] = "wir.coordination.meeting_scheduled"
    online: bool


@register
class InvitationReminderDue(MeetingEvent):
    """The meeting is near and its invitation has not gone out yet: a reminder to the
    group's coordinator."""

    event_type: ClassVar[str] = "wir.coordination.invitation_reminder_due"
    days_before: int = Field(ge=0)


@register
class InvitationSent(MeetingEvent):
    """The coordinator sent the meeting's invitation to these members (staff and contact
    persons, by id)."""

    event_type: ClassVar[str] = "wir.coordination.invitation_sent"
    invitees: list[MemberRef]


@register
class MeetingHeld(MeetingEvent):
    """The meeting took place; its minutes and attendance are in the service."""

    event_type: ClassVar[str] = "wir.coordination.meeting_held"
    attendee_count: int = Field(ge=0)


@register
class MeetingCancelled(MeetingEvent):
    event_type: ClassVar[str] = "wir.coordination.meeting_cancelled"


class ActionItemEvent(WorkingGroupEvent):
    item_id: str
    owner: OwnerRef
    due_date: date


@register
class ActionItemAdded(ActionItemEvent):
    """The group gave an action item to an owner, due on a date."""

    event_type: ClassVar[str] = "wir.coordination.action_item_added"
    meeting_id: str | None = None


@register
class ActionItemReminderDue(ActionItemEvent):
    """The action item is due soon and still open: a reminder to its owner."""

    event_type: ClassVar[str] = "wir.coordination.action_item_reminder_due"
    days_left: int = Field(ge=0)


@register
class ActionItemOverdue(ActionItemEvent):
    """The action item's due date passed and it is still open."""

    event_type: ClassVar[str] = "wir.coordination.action_item_overdue"


@register
class ActionItemDone(ActionItemEvent):
    event_type: ClassVar[str] = "wir.coordination.action_item_done"
