"""HTTP routes of the working groups: the group, its members and closing. Meetings and
action items are in ``meetings.py`` and ``items.py``; commands go through the workflow
(``commands``), reads through ``queries``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from services.coordination.access import (
    Coordinator,
    GroupCommandDep,
    GroupReader,
    VisibleGroup,
    member_filter,
)
from services.coordination.groups import commands, queries
from services.coordination.groups.schemas import (
    GroupDetail,
    GroupHistoryEntry,
    GroupIn,
    GroupOut,
    MembersIn,
)
from shared.contracts.coordination import GroupStage, MeetingCadence
from shared.deps import IdempotencyKey, SessionDep, SettingsDep, TemporalDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["working groups"])


@router.get("/groups")
async def list_groups(
    session: SessionDep,
    page: PageDep,
    actor: GroupReader,
    q: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    stage: GroupStage | None = None,
) -> Page[GroupOut]:
    """The working groups (a case manager: those they are a member of)."""
    items, total = await queries.list_groups(
        session=session, page=page, q=q, stage=stage, member=member_filter(actor)
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/groups", status_code=status.HTTP_201_CREATED)
async def form_group(
    body: GroupIn,
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    actor: Coordinator,
    idempotency_key: IdempotencyKey = None,
) -> GroupDetail:
    """Form a working group: its workflow keeps the meetings' and action items' deadlines."""
    group = await commands.form_group(
        session=session,
        client=client,
        settings=settings,
        data=body,
        user=actor.user,
        idempotency_key=idempotency_key,
    )
    return await queries.group_detail(session=session, group=group)


@router.get("/groups/{group_id}")
async def get_group(group: VisibleGroup, session: SessionDep) -> GroupDetail:
    return await queries.group_detail(session=session, group=group)


@router.put("/groups/{group_id}/members")
async def set_members(body: MembersIn, cmd: GroupCommandDep, session: SessionDep) -> GroupDetail:
    """Replace the group's members (actors, staff, contact persons, by id)."""
    await commands.set_members(cmd, body.members)
    group = await queries.get_group(session=session, group_id=cmd.group_id)
    return await queries.group_detail(session=session, group=group)


@router.put("/groups/{group_id}/cadence")
async def set_cadence(
    body: MeetingCadence, cmd: GroupCommandDep, session: SessionDep
) -> GroupDetail:
    """Meet regularly: every ``every_weeks`` weeks, or monthly on the first meeting's
    weekday in the ``monthly_on`` week. The workflow plans each next meeting (without a
    place: the office adds it) and reminds its invitation ``invitation_lead_days`` before."""
    await commands.set_cadence(cmd, body)
    group = await queries.get_group(session=session, group_id=cmd.group_id)
    return await queries.group_detail(session=session, group=group)


@router.delete("/groups/{group_id}/cadence")
async def end_cadence(cmd: GroupCommandDep, session: SessionDep) -> GroupDetail:
    """End the meeting cycle; meetings it planned stay (409: the group has none)."""
    await commands.set_cadence(cmd, None)
    group = await queries.get_group(session=session, group_id=cmd.group_id)
    return await queries.group_detail(session=session, group=group)


@router.post("/groups/{group_id}/close")
async def close_group(cmd: GroupCommandDep, session: SessionDep) -> GroupOut:
    await commands.close_group(cmd)
    return GroupOut.model_validate(await queries.get_group(session=session, group_id=cmd.group_id))


@router.get("/groups/{group_id}/history")
async def group_history(
    group: VisibleGroup, session: SessionDep, page: PageDep
) -> Page[GroupHistoryEntry]:
    rows, total = await queries.history(session=session, group_id=group.id, page=page)
    items = [GroupHistoryEntry.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
