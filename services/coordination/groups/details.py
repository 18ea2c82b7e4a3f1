"""Changing a scheduled meeting's details: its place, online link and agenda.

The details are free text of this service alone (``models.Meeting``), not facts the group's
workflow tracks, so the change goes to the table directly: no Update, no event. The
meeting's status is the workflow's (copied by the projection): a meeting held or cancelled,
or one of a closed group, keeps the details it had.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.coordination.groups.models import Meeting, WorkingGroup
from services.coordination.groups.schemas import MeetingChange
from shared.contracts.coordination import GroupStage, MeetingStatus
from shared.problems import ProblemError, stage_conflict


def refuse_unless_changeable(*, group: WorkingGroup, meeting: Meeting) -> None:
    """409 in words for a meeting whose details are settled."""
    if meeting.status != MeetingStatus.scheduled.value:
        raise stage_conflict(
            f"meeting {meeting.id} was {meeting.status}; its details no longer change"
        )
    if group.stage == GroupStage.closed.value:
        raise stage_conflict(f"working group {group.id} is closed; its meetings do not change")


def changed_details(meeting: Meeting, data: MeetingChange) -> dict[str, str | None]:
    """The stored values the change gives (only the fields sent), as the table keeps them;
    422 if the meeting would be left with neither a place nor an online link."""
    values: dict[str, str | None] = {}
    sent = data.model_fields_set
    if "place" in sent:
        values["place"] = data.place
    if "online_link" in sent:
        values["online_link"] = str(data.online_link) if data.online_link else None
    if "agenda" in sent:
        values["agenda"] = data.agenda
    place = values.get("place", meeting.place)
    link = values.get("online_link", meeting.online_link)
    if {"place", "online_link"} & sent and place is None and link is None:
        detail = "a meeting keeps a place or an online link (or both)"
        error = {"loc": ["body", "place"], "msg": detail, "type": "value_error"}
        raise ProblemError(422, "Invalid change", detail, errors=[error])
    return values


async def change_meeting(
    *, session: AsyncSession, group: WorkingGroup, meeting: Meeting, data: MeetingChange
) -> Meeting:
    refuse_unless_changeable(group=group, meeting=meeting)
    for field, value in changed_details(meeting, data).items():
        setattr(meeting, field, value)
    await session.commit()
    return meeting
