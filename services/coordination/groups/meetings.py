"""HTTP routes of a working group's meetings: schedule one (a place or an online link, an
agenda), change those details, send its invitation, record its minutes and attendance,
cancel it."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.coordination.access import Coordinator, GroupCommandDep, VisibleGroup
from services.coordination.groups import commands, details, queries
from services.coordination.groups.schemas import (
    MeetingChange,
    MeetingDetail,
    MeetingIn,
    MeetingOut,
    MinutesIn,
)
from shared.deps import SessionDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["meetings"])


@router.get("/groups/{group_id}/meetings")
async def list_meetings(
    group: VisibleGroup, session: SessionDep, page: PageDep
) -> Page[MeetingOut]:
    items, total = await queries.list_meetings(session=session, group_id=group.id, page=page)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/groups/{group_id}/meetings", status_code=status.HTTP_201_CREATED)
async def schedule_meeting(
    body: MeetingIn, cmd: GroupCommandDep, session: SessionDep
) -> MeetingDetail:
    """Schedule a meeting; its invitation reminder comes the group's lead days before it."""
    meeting_id = await commands.schedule_meeting(cmd, body)
    return await _answer(session, cmd.group_id, meeting_id)


@router.get("/groups/{group_id}/meetings/{meeting_id}")
async def get_meeting(meeting_id: str, group: VisibleGroup, session: SessionDep) -> MeetingDetail:
    meeting = await queries.get_meeting(session=session, group_id=group.id, meeting_id=meeting_id)
    return await queries.meeting_detail(session=session, meeting=meeting)


@router.patch("/groups/{group_id}/meetings/{meeting_id}")
async def change_meeting(
    meeting_id: str, body: MeetingChange, group: VisibleGroup, actor: Coordinator,
    session: SessionDep,
) -> MeetingDetail:  # fmt: skip
    """Change a scheduled meeting's place, online link or agenda (``null`` clears the place
    or the link); 409 once it is held or cancelled. No event: the workflow does not track
    these details. The same PATCH again sets the same values (an Idempotency-Key is not needed)."""
    meeting = await queries.get_meeting(session=session, group_id=group.id, meeting_id=meeting_id)
    await details.change_meeting(session=session, group=group, meeting=meeting, data=body)
    return await _answer(session, group.id, meeting_id)


async def _answer(session: SessionDep, group_id: str, meeting_id: str) -> MeetingDetail:
    meeting = await queries.get_meeting(session=session, group_id=group_id, meeting_id=meeting_id)
    return await queries.meeting_detail(session=session, meeting=meeting)


@router.post("/groups/{group_id}/meetings/{meeting_id}/invitation")
async def send_invitation(
    meeting_id: str, cmd: GroupCommandDep, group: VisibleGroup, session: SessionDep
) -> MeetingDetail:
    """Record that the invitation went out: the staff members are notified."""
    await queries.get_meeting(session=session, group_id=group.id, meeting_id=meeting_id)
    await commands.send_invitation(cmd, meeting_id)
    return await _answer(session, cmd.group_id, meeting_id)


@router.post("/groups/{group_id}/meetings/{meeting_id}/minutes")
async def record_minutes(
    meeting_id: str,
    body: MinutesIn,
    cmd: GroupCommandDep,
    group: VisibleGroup,
    session: SessionDep,
) -> MeetingDetail:
    """The meeting was held: its minutes and attendance."""
    await queries.get_meeting(session=session, group_id=group.id, meeting_id=meeting_id)
    await commands.record_minutes(cmd, meeting_id, body)
    return await _answer(session, cmd.group_id, meeting_id)


@router.post("/groups/{group_id}/meetings/{meeting_id}/cancel")
async def cancel_meeting(
    meeting_id: str, cmd: GroupCommandDep, group: VisibleGroup, session: SessionDep
) -> MeetingDetail:
    await queries.get_meeting(session=session, group_id=group.id, meeting_id=meeting_id)
    await commands.cancel_meeting(cmd, meeting_id)
    return await _answer(session, cmd.group_id, meeting_id)
