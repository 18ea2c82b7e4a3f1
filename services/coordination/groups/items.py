"""HTTP routes of a working group's action items: each with an owner and a due date, a
reminder to the owner before it, an overdue notice after (the group's workflow)."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.coordination.access import GroupCommandDep, ItemCommandDep, VisibleGroup
from services.coordination.groups import commands, queries
from services.coordination.groups.schemas import ActionItemIn, ActionItemOut
from shared.contracts.coordination import ItemStatus
from shared.deps import SessionDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["action items"])


@router.get("/groups/{group_id}/action-items")
async def list_action_items(
    group: VisibleGroup, session: SessionDep, page: PageDep, status: ItemStatus | None = None
) -> Page[ActionItemOut]:
    items, total = await queries.list_items(
        session=session, group_id=group.id, page=page, status=status
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/groups/{group_id}/action-items", status_code=status.HTTP_201_CREATED)
async def add_action_item(
    body: ActionItemIn, cmd: GroupCommandDep, session: SessionDep
) -> ActionItemOut:
    """Give the group an action item (a meeting it came from is checked by the workflow)."""
    item_id = await commands.add_action_item(cmd, body)
    item = await queries.get_item(session=session, group_id=cmd.group_id, item_id=item_id)
    return queries.item_out(item)


@router.get("/groups/{group_id}/action-items/{item_id}")
async def get_action_item(item_id: str, group: VisibleGroup, session: SessionDep) -> ActionItemOut:
    return queries.item_out(
        await queries.get_item(session=session, group_id=group.id, item_id=item_id)
    )


@router.post("/groups/{group_id}/action-items/{item_id}/done")
async def complete_action_item(
    item_id: str, cmd: ItemCommandDep, session: SessionDep
) -> ActionItemOut:
    """Mark the action item done (the office, or its owner)."""
    await commands.complete_action_item(cmd, item_id)
    item = await queries.get_item(session=session, group_id=cmd.group_id, item_id=item_id)
    return queries.item_out(item)
