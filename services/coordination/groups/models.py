"""The working groups' tables: groups, members, meetings (with attendance), action items,
and each group's history of events.

The workflow decides where a group, a meeting and an action item stand (the projection
copies it from the events); the free text that never goes into an event (a meeting's
place, online link, agenda and minutes, an action item's title) is stored here by the API
in the same transaction as the command's event.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.coordination.base import Base


class WorkingGroup(Base):
    __tablename__ = "coordination_groups"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(500))
    search_text: Mapped[str] = mapped_column(String(800))
    coordinator: Mapped[str] = mapped_column(String(64), index=True)
    stage: Mapped[str] = mapped_column(String(16), index=True)
    invitation_lead_days: Mapped[int]
    item_reminder_days: Mapped[int]
    seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    #: the meeting cycle (shared.contracts.coordination.MeetingCadence as JSON), if any
    cadence: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


class GroupMember(Base):
    """A member: an actor, a member of staff or a contact person, by id."""

    __tablename__ = "coordination_group_members"

    group_id: Mapped[str] = mapped_column(ForeignKey("coordination_groups.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class Meeting(Base):
    __tablename__ = "coordination_meetings"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("coordination_groups.id"), index=True)
    starts_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    place: Mapped[str | None] = mapped_column(String(300))
    online_link: Mapped[str | None] = mapped_column(String(500))
    agenda: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str | None] = mapped_column(Text)
    attendee_count: Mapped[int | None]
    invited_at: Mapped[datetime | None]
    invitation_reminded_at: Mapped[datetime | None]


class Attendance(Base):
    """Who attended a meeting that was held (members by kind and id)."""

    __tablename__ = "coordination_attendance"

    meeting_id: Mapped[str] = mapped_column(
        ForeignKey("coordination_meetings.id"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class ActionItem(Base):
    __tablename__ = "coordination_action_items"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("coordination_groups.id"), index=True)
    meeting_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300), default="")
    owner_kind: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[str] = mapped_column(String(64), index=True)
    due_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="open")
    reminded_at: Mapped[datetime | None]
    overdue_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]


class GroupEvent(Base):
    """The group's history: every event of its workflow, once."""

    __tablename__ = "coordination_group_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[str] = mapped_column(ForeignKey("coordination_groups.id"), index=True)
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(64))
    time: Mapped[datetime]
    data: Mapped[dict[str, Any]]
