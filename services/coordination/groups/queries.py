"""Reading the working groups: lists that page, one group with its members, meetings,
action items and history. Nothing here sends a command."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.coordination.groups.models import (
    ActionItem,
    Attendance,
    GroupEvent,
    GroupMember,
    Meeting,
    WorkingGroup,
)
from services.coordination.groups.schemas import (
    ActionItemOut,
    GroupDetail,
    GroupOut,
    MeetingDetail,
    MeetingOut,
)
from shared.contracts.coordination import ItemStatus, MemberKind, MemberRef, OwnerKind, OwnerRef
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found
from shared.search import contains


def groups_query(*, q: str | None, stage: str | None, member: str | None) -> Select[WorkingGroup]:
    """The groups matching the filters; ``member``: only those with this staff member."""
    query = select(WorkingGroup)
    if q:
        query = query.where(contains(WorkingGroup.search_text, q))
    if stage:
        query = query.where(WorkingGroup.stage == stage)
    if member is not None:
        staff = select(GroupMember.group_id).where(
            GroupMember.kind == MemberKind.staff.value, GroupMember.member_id == member
        )
        query = query.where(WorkingGroup.id.in_(staff))
    return query.order_by(WorkingGroup.name, WorkingGroup.id)


async def list_groups(
    *, session: AsyncSession, page: PageParams, q: str | None, stage: str | None, member: str | None
) -> tuple[list[GroupOut], int]:
    rows, total = await fetch_page(session, groups_query(q=q, stage=stage, member=member), page)
    return [GroupOut.model_validate(r) for r in rows], total


async def members_of(*, session: AsyncSession, group_id: str) -> list[MemberRef]:
    rows = await session.scalars(
        select(GroupMember)
        .where(GroupMember.group_id == group_id)
        .order_by(GroupMember.kind, GroupMember.member_id)
    )
    return [MemberRef(kind=MemberKind(r.kind), id=r.member_id) for r in rows]


async def get_group(*, session: AsyncSession, group_id: str) -> WorkingGroup:
    """The group as stored now (a command's commit or rollback may have expired it)."""
    group = await session.get(WorkingGroup, group_id, populate_existing=True)
    if group is None:
        raise not_found("working group", group_id)
    return group


async def group_detail(*, session: AsyncSession, group: WorkingGroup) -> GroupDetail:
    members = await members_of(session=session, group_id=group.id)
    return GroupDetail(**GroupOut.model_validate(group).model_dump(), members=members)


async def get_meeting(*, session: AsyncSession, group_id: str, meeting_id: str) -> Meeting:
    meeting = await session.get(Meeting, meeting_id, populate_existing=True)
    if meeting is None or meeting.group_id != group_id:
        raise not_found("meeting", meeting_id)
    return meeting


async def meeting_detail(*, session: AsyncSession, meeting: Meeting) -> MeetingDetail:
    rows = await session.scalars(
        select(Attendance)
        .where(Attendance.meeting_id == meeting.id)
        .order_by(Attendance.kind, Attendance.member_id)
    )
    attendees = [MemberRef(kind=MemberKind(r.kind), id=r.member_id) for r in rows]
    return MeetingDetail(**MeetingOut.model_validate(meeting).model_dump(), attendees=attendees)


async def list_meetings(
    *, session: AsyncSession, group_id: str, page: PageParams
) -> tuple[list[MeetingOut], int]:
    query = (
        select(Meeting)
        .where(Meeting.group_id == group_id)
        .order_by(Meeting.starts_at.desc(), Meeting.id)
    )
    rows, total = await fetch_page(session, query, page)
    return [MeetingOut.model_validate(r) for r in rows], total


def item_out(item: ActionItem) -> ActionItemOut:
    owner = OwnerRef(kind=OwnerKind(item.owner_kind), id=item.owner_id)
    return ActionItemOut(
        id=item.id,
        group_id=item.group_id,
        meeting_id=item.meeting_id,
        title=item.title,
        owner=owner,
        due_date=item.due_date,
        status=ItemStatus(item.status),
        reminded_at=item.reminded_at,
        overdue_at=item.overdue_at,
        done_at=item.done_at,
    )


async def get_item(*, session: AsyncSession, group_id: str, item_id: str) -> ActionItem:
    item = await session.get(ActionItem, item_id, populate_existing=True)
    if item is None or item.group_id != group_id:
        raise not_found("action item", item_id)
    return item


async def list_items(
    *, session: AsyncSession, group_id: str, page: PageParams, status: str | None
) -> tuple[list[ActionItemOut], int]:
    query = select(ActionItem).where(ActionItem.group_id == group_id)
    if status:
        query = query.where(ActionItem.status == status)
    rows, total = await fetch_page(
        session, query.order_by(ActionItem.due_date, ActionItem.id), page
    )
    return [item_out(r) for r in rows], total


async def history(
    *, session: AsyncSession, group_id: str, page: PageParams
) -> tuple[list[GroupEvent], int]:
    query = select(GroupEvent).where(GroupEvent.group_id == group_id).order_by(GroupEvent.seq)
    return await fetch_page(session, query, page)
