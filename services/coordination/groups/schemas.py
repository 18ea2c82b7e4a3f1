"""Request and response bodies of the working groups."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from shared.contracts.coordination import (
    AwareDatetime,
    GroupStage,
    Ident,
    ItemStatus,
    MeetingCadence,
    MeetingStatus,
    MemberRef,
    OwnerRef,
)
from shared.projection import HistoryActor


class GroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    topic: str = Field(default="", max_length=500)
    invitation_lead_days: Annotated[
        int | None,
        Field(ge=1, le=90, description="Default: WIR_COORDINATION_INVITATION_LEAD_DAYS"),
    ] = None
    item_reminder_days: Annotated[
        int | None,
        Field(ge=1, le=60, description="Default: WIR_COORDINATION_ITEM_REMINDER_DAYS"),
    ] = None


class GroupOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    topic: str
    coordinator: str
    stage: GroupStage
    invitation_lead_days: int
    item_reminder_days: int
    created_at: datetime
    updated_at: datetime
    cadence: MeetingCadence | None = Field(
        default=None, description="The regular meeting cycle, if the group has one"
    )


class MembersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    members: list[MemberRef] = Field(max_length=200)


class GroupDetail(GroupOut):
    members: list[MemberRef]


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_at: AwareDatetime
    place: str | None = Field(default=None, min_length=1, max_length=300)
    online_link: HttpUrl | None = None
    agenda: str = Field(default="", max_length=20_000)

    @model_validator(mode="after")
    def _somewhere(self) -> MeetingIn:
        if self.place is None and self.online_link is None:
            raise ValueError("give the meeting a place or an online link (or both)")
        if self.online_link is not None and len(str(self.online_link)) > 500:
            raise ValueError("the online link is longer than 500 characters")
        return self


class MeetingChange(BaseModel):
    """A scheduled meeting's place, online link or agenda (the bounds of ``MeetingIn``):
    only the fields given change; ``null`` clears the place or the online link. The
    details are this service's alone: no event, the workflow does not track them."""

    model_config = ConfigDict(extra="forbid")

    place: str | None = Field(default=None, min_length=1, max_length=300)
    online_link: HttpUrl | None = None
    agenda: str = Field(default="", max_length=20_000)

    @model_validator(mode="after")
    def _something(self) -> MeetingChange:
        if not self.model_fields_set:
            raise ValueError("give at least one of place, online_link and agenda")
        if self.online_link is not None and len(str(self.online_link)) > 500:
            raise ValueError("the online link is longer than 500 characters")
        return self


class MinutesIn(BaseModel):
    """What a held meeting leaves: its minutes and who attended (members by id)."""

    model_config = ConfigDict(extra="forbid")

    minutes: str = Field(min_length=1, max_length=50_000)
    attendees: list[MemberRef] = Field(default=[], max_length=500)


class MeetingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    group_id: str
    starts_at: datetime
    status: MeetingStatus
    place: str | None
    online_link: str | None
    agenda: str
    minutes: str | None
    attendee_count: int | None
    invited_at: datetime | None
    invitation_reminded_at: datetime | None


class MeetingDetail(MeetingOut):
    attendees: list[MemberRef]


class ActionItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    owner: OwnerRef
    due_date: date
    meeting_id: Ident | None = None


class ActionItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    group_id: str
    meeting_id: str | None
    title: str
    owner: OwnerRef
    due_date: date
    status: ItemStatus
    reminded_at: datetime | None
    overdue_at: datetime | None
    done_at: datetime | None


class GroupHistoryEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event_id: str
    seq: int
    type: str
    stage: str
    actor: HistoryActor
    time: datetime
