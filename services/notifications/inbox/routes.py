"""HTTP routes of the notifications service: thin, each calls one query."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.notifications.access import InboxReader, inbox_scope
from services.notifications.inbox import service as repository
from services.notifications.inbox.schemas import NotificationOut
from services.notifications.notices.rules import AddresseeKind
from shared.deps import SessionDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["notifications"])


@router.get("/notifications")
async def list_notifications(
    session: SessionDep,
    page: PageDep,
    actor: InboxReader,
    addressee: Annotated[
        str | None, Query(max_length=64, description="Organisation id or case manager")
    ] = None,
    addressee_kind: AddresseeKind | None = None,
    event_type: Annotated[
        str | None, Query(max_length=64, description="e.g. wir.application.approved")
    ] = None,
    entity_id: Annotated[
        str | None, Query(max_length=64, description="Application or case id")
    ] = None,
    unread: Annotated[bool, Query(description="Only notifications nobody has read")] = False,
) -> Page[NotificationOut]:
    """Newest first; only what the user's role may see (services/notifications/access.py)."""
    rows, total = await repository.list_notifications(
        session=session,
        scope=inbox_scope(actor),
        page=page,
        addressee=addressee,
        addressee_kind=addressee_kind,
        event_type=event_type,
        entity_id=entity_id,
        unread=unread,
    )
    items = [NotificationOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/notifications/{notification_id}")
async def get_notification(
    notification_id: str, session: SessionDep, actor: InboxReader
) -> NotificationOut:
    notification = await repository.get_notification(
        session=session, notification_id=notification_id, scope=inbox_scope(actor)
    )
    return NotificationOut.model_validate(notification)


@router.post("/notifications/{notification_id}/read")
async def mark_read(
    notification_id: str, session: SessionDep, actor: InboxReader
) -> NotificationOut:
    """Mark as read. Reading again keeps the first ``read_at`` and ``read_by``."""
    notification = await repository.mark_read(
        session=session,
        notification_id=notification_id,
        actor=actor.user,
        scope=inbox_scope(actor),
    )
    return NotificationOut.model_validate(notification)
