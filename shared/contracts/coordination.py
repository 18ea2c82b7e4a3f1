"""Contracts of the working groups (issue 15, part 1): the workflow's input, state,
commands and their typed references (shared/contracts/refs.py).

Ids, codes and dates only: members, owners and invitees are actor ids, staff user ids or
contact ids, never names or addresses; agendas and minutes stay in the coordination
service's database. Part 2 keeps its contracts in ``coordination_activities.py``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from shared.contracts.envelope import CloudEvent
from shared.contracts.refs import QueryRef, UpdateRef

WORKFLOW_NAME = "WorkingGroupWorkflow"
KIND = "working_group"
#: A WIR id: uuids, staff user ids (``clara.coord``).
ID_PATTERN = r"^[A-Za-z0-9._@-]{1,64}$"
Ident = Annotated[str, Field(pattern=ID_PATTERN)]


def workflow_id(group_id: str) -> str:
    return f"working-group-{group_id}"


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("give the time with its offset, e.g. 2027-03-04T10:00:00+01:00")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class GroupStage(StrEnum):
    active = "active"
    closed = "closed"


class MemberKind(StrEnum):
    #: an institution of the network (its actor id)
    actor = "actor"
    #: a member of staff (their user id)
    staff = "staff"
    #: an institution's contact person (the contact id; the person's data stays in the
    #: coordination service)
    contact = "contact"


class MemberRef(BaseModel):
    kind: MemberKind
    id: Ident


class OwnerKind(StrEnum):
    staff = "staff"
    contact = "contact"


class OwnerRef(BaseModel):
    """Who owns an action item: a member of staff or an institution's contact person."""

    kind: OwnerKind
    id: Ident


class MeetingStatus(StrEnum):
    scheduled = "scheduled"
    held = "held"
    cancelled = "cancelled"


class ItemStatus(StrEnum):
    open = "open"
    done = "done"


class MeetingState(BaseModel):
    meeting_id: str
    starts_at: datetime
    status: MeetingStatus = MeetingStatus.scheduled
    invited: bool = False
    invitation_reminded: bool = False


class ActionItemState(BaseModel):
    item_id: str
    owner: OwnerRef
    due_date: date
    status: ItemStatus = ItemStatus.open
    reminded: bool = False
    overdue: bool = False


class WeekOfMonth(StrEnum):
    first = "first"
    second = "second"
    third = "third"
    fourth = "fourth"
    last = "last"


#: The n-th weekday of a month (0-based), or -1 for the last.
WEEK_INDEX = {
    WeekOfMonth.first: 0,
    WeekOfMonth.second: 1,
    WeekOfMonth.third: 2,
    WeekOfMonth.fourth: 3,
    WeekOfMonth.last: -1,
}


def week_of_month(day: date) -> tuple[WeekOfMonth, bool]:
    """Which of its month's weekdays ``day`` is (first … fourth) and whether it is the
    last one too (a fourth Tuesday may be the last)."""
    index = (day.day - 1) // 7
    nth = list(WEEK_INDEX)[min(index, 3)] if index < 4 else WeekOfMonth.last
    is_last = (day + timedelta(days=7)).month != day.month
    return nth, is_last


class MeetingCadence(BaseModel):
    """A group's regular meeting: from ``first_starts_at`` on, every ``every_weeks`` weeks,
    or monthly on the same weekday in the ``monthly_on`` week of the month (the second
    Tuesday, the last Friday). The time of day and its UTC offset are the first meeting's."""

    model_config = ConfigDict(extra="forbid")

    first_starts_at: AwareDatetime
    every_weeks: int | None = Field(default=None, ge=1, le=12)
    monthly_on: WeekOfMonth | None = None
    online: bool = False

    @model_validator(mode="after")
    def _one_rule(self) -> MeetingCadence:
        if (self.every_weeks is None) == (self.monthly_on is None):
            raise ValueError("give either every_weeks or monthly_on")
        if self.monthly_on is not None:
            nth, is_last = week_of_month(self.first_starts_at.date())
            fits = is_last if self.monthly_on is WeekOfMonth.last else nth is self.monthly_on
            if not fits:
                raise ValueError(
                    f"first_starts_at is not on the {self.monthly_on.value} "
                    f"{self.first_starts_at.strftime('%A')} of its month"
                )
        return self


class WorkingGroupState(BaseModel):
    group_id: str
    coordinator: str
    stage: GroupStage = GroupStage.active
    seq: int = 0
    members: list[MemberRef] = []
    meetings: list[MeetingState] = []
    items: list[ActionItemState] = []
    #: the regular meeting cycle, if the group has one
    cadence: MeetingCadence | None = None
    #: the cycle's next occurrence to plan (0: the first meeting)
    cycle_next: int = 0
    #: the meeting the cycle planned last
    cycle_meeting_id: str | None = None

    def meeting(self, meeting_id: str) -> MeetingState | None:
        return next((m for m in self.meetings if m.meeting_id == meeting_id), None)

    def item(self, item_id: str) -> ActionItemState | None:
        return next((i for i in self.items if i.item_id == item_id), None)


class WorkingGroupInput(BaseModel):
    group_id: Ident
    #: the coordinator who keeps the group (a staff user id): invitation reminders go to them
    coordinator: Ident
    #: the invitation reminder comes this many days before a meeting
    invitation_lead_days: int = Field(default=14, ge=1, le=90)
    #: an action item's owner is reminded this many days before it is due
    item_reminder_days: int = Field(default=3, ge=1, le=60)
    resume: WorkingGroupState | None = None


class SetMembersCommand(BaseModel):
    actor: Ident
    members: list[MemberRef] = Field(max_length=200)


class ScheduleMeetingCommand(BaseModel):
    actor: Ident
    meeting_id: Ident
    starts_at: AwareDatetime
    online: bool = False


class MeetingCommand(BaseModel):
    """Send the invitation, or cancel: the meeting is named by its id."""

    actor: Ident
    meeting_id: Ident


class RecordMeetingCommand(BaseModel):
    actor: Ident
    meeting_id: Ident
    attendee_count: int = Field(ge=0, le=10_000)


class AddActionItemCommand(BaseModel):
    actor: Ident
    item_id: Ident
    owner: OwnerRef
    due_date: date
    meeting_id: Ident | None = None


class ActionItemCommand(BaseModel):
    actor: Ident
    item_id: Ident


class CloseGroupCommand(BaseModel):
    actor: Ident


class SetCadenceCommand(BaseModel):
    """Give the group a meeting cycle (or a new one), or end it with ``cadence=None``."""

    actor: Ident
    cadence: MeetingCadence | None


class GroupCommandResult(BaseModel):
    state: WorkingGroupState
    events: list[CloudEvent]


class WorkingGroupUpdates:
    """The updates of ``WorkingGroupWorkflow``, each with its command and result."""

    set_members = UpdateRef("set_members", SetMembersCommand, GroupCommandResult)
    schedule_meeting = UpdateRef("schedule_meeting", ScheduleMeetingCommand, GroupCommandResult)
    send_invitation = UpdateRef("send_invitation", MeetingCommand, GroupCommandResult)
    record_meeting = UpdateRef("record_meeting", RecordMeetingCommand, GroupCommandResult)
    cancel_meeting = UpdateRef("cancel_meeting", MeetingCommand, GroupCommandResult)
    add_action_item = UpdateRef("add_action_item", AddActionItemCommand, GroupCommandResult)
    complete_action_item = UpdateRef("complete_action_item", ActionItemCommand, GroupCommandResult)
    close = UpdateRef("close", CloseGroupCommand, GroupCommandResult)
    set_cadence = UpdateRef("set_cadence", SetCadenceCommand, GroupCommandResult)


class WorkingGroupQueries:
    state = QueryRef("state", WorkingGroupState)
