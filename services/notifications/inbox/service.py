"""Queries on the notifications table: idempotent storing, listing, reading."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from services.notifications.deliveries.models import Delivery
from services.notifications.inbox.models import Notification
from services.notifications.notices.rules import Notice
from services.notifications.notices.templates import DEFAULT_LANGUAGE
from shared.contracts.envelope import CloudEvent
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found


def _now() -> datetime:
    return datetime.now(UTC)


async def store(
    *,
    session: AsyncSession,
    event: CloudEvent,
    notices: list[Notice],
    languages: dict[tuple[str, str], str] | None = None,
    deliveries: Sequence[Delivery] = (),
) -> int:
    """Add the notifications and deliveries of ``event`` not stored yet; returns how many
    notifications were added.

    ``languages`` maps (kind, addressee) to the addressee's language (German if absent).
    A redelivered event finds its rows and adds nothing. When a second consumer stores the
    same event at the same moment, a unique constraint refuses one of them: that one rolls
    back and looks again. The caller commits.
    """
    for _ in range(2):
        known = set(
            await session.scalars(
                select(Notification.addressee).where(Notification.event_id == event.id)
            )
        )
        sent = set(
            await session.execute(
                select(Delivery.channel, Delivery.target_id).where(Delivery.event_id == event.id)
            )
        )
        new = [n for n in notices if n.addressee not in known]
        for n in new:
            key = (n.addressee_kind.value, n.addressee)
            language = (languages or {}).get(key, DEFAULT_LANGUAGE)
            subject, body = n.text(language)
            session.add(
                Notification(
                    id=str(uuid.uuid4()),
                    event_id=event.id,
                    event_type=event.type,
                    entity_id=n.entity_id,
                    addressee_kind=n.addressee_kind.value,
                    addressee=n.addressee,
                    language=language,
                    subject=subject[:200],
                    body=body,
                    created_at=_now(),
                )
            )
        session.add_all(d for d in deliveries if (d.channel, d.target_id) not in sent)
        try:
            await session.flush()
        except IntegrityError:  # stored by the other consumer a moment ago
            await session.rollback()
            continue
        return len(new)
    raise RuntimeError(f"notifications of event {event.id} could not be stored")


async def get_notification(
    *,
    session: AsyncSession,
    notification_id: str,
    scope: ColumnElement[bool] | None = None,
) -> Notification:
    """The notification, if it lies within ``scope`` (a user's inbox; None: anywhere)."""
    query = select(Notification).where(Notification.id == notification_id)
    if scope is not None:
        query = query.where(scope)
    notification = await session.scalar(query)
    if notification is None:
        raise not_found("notification", notification_id)
    return notification


async def list_notifications(
    *,
    session: AsyncSession,
    page: PageParams,
    addressee: str | None = None,
    addressee_kind: str | None = None,
    event_type: str | None = None,
    entity_id: str | None = None,
    unread: bool = False,
    scope: ColumnElement[bool] | None = None,
) -> tuple[list[Notification], int]:
    """Newest first, within ``scope`` (a user's inbox; None: all)."""
    query = select(Notification)
    if scope is not None:
        query = query.where(scope)
    if addressee:
        query = query.where(Notification.addressee == addressee)
    if addressee_kind:
        query = query.where(Notification.addressee_kind == addressee_kind)
    if event_type:
        query = query.where(Notification.event_type == event_type)
    if entity_id:
        query = query.where(Notification.entity_id == entity_id)
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return await fetch_page(
        session, query.order_by(Notification.created_at.desc(), Notification.id.desc()), page
    )


async def mark_read(
    *,
    session: AsyncSession,
    notification_id: str,
    actor: str,
    scope: ColumnElement[bool] | None = None,
) -> Notification:
    """Record who read it first and when; reading it again changes nothing."""
    await get_notification(session=session, notification_id=notification_id, scope=scope)
    await session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.read_at.is_(None))
        .values(read_at=_now(), read_by=actor)
    )
    await session.commit()
    return await get_notification(session=session, notification_id=notification_id)
