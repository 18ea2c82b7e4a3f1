"""Recipients (e-mail address, language, opt-out per addressee) and webhooks."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.deliveries import service as deliveries
from services.notifications.notices.rules import AddresseeKind
from services.notifications.recipients.models import Recipient, Webhook
from services.notifications.recipients.schemas import RecipientIn, WebhookIn
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found


def _now() -> datetime:
    return datetime.now(UTC)


async def put_recipient(
    *, session: AsyncSession, kind: AddresseeKind, addressee: str, data: RecipientIn
) -> Recipient:
    """Create or replace. The caller commits."""
    found = await session.scalar(
        select(Recipient).where(Recipient.kind == kind.value, Recipient.addressee == addressee)
    )
    now = _now()
    if found is None:
        found = Recipient(
            id=str(uuid.uuid4()), kind=kind.value, addressee=addressee, created_at=now
        )
        session.add(found)
    found.email, found.language, found.opted_out = data.email, data.language, data.opted_out
    found.updated_at = now
    await session.flush()
    return found


async def get_recipient(*, session: AsyncSession, kind: AddresseeKind, addressee: str) -> Recipient:
    found = await session.scalar(
        select(Recipient).where(Recipient.kind == kind.value, Recipient.addressee == addressee)
    )
    if found is None:
        raise not_found("recipient", f"{kind.value}/{addressee}")
    return found


async def list_recipients(
    *, session: AsyncSession, page: PageParams, kind: AddresseeKind | None
) -> tuple[list[Recipient], int]:
    query = select(Recipient)
    if kind is not None:
        query = query.where(Recipient.kind == kind.value)
    return await fetch_page(session, query.order_by(Recipient.kind, Recipient.addressee), page)


async def add_webhook(*, session: AsyncSession, data: WebhookIn, actor: str) -> Webhook:
    hook = Webhook(
        id=str(uuid.uuid4()),
        url=str(data.url),
        event_types=sorted(set(data.event_types)),
        secret=data.secret or secrets.token_urlsafe(32),
        active=True,
        created_at=_now(),
        created_by=actor,
    )
    session.add(hook)
    await session.flush()
    return hook


async def list_webhooks(*, session: AsyncSession) -> list[Webhook]:
    return list(await session.scalars(select(Webhook).order_by(Webhook.created_at)))


async def deactivate_webhook(*, session: AsyncSession, webhook_id: str) -> Webhook:
    """Stops new deliveries and cancels the pending ones (they would otherwise be retried
    until they give up); the log keeps them all. The caller commits."""
    hook = await session.get(Webhook, webhook_id)
    if hook is None:
        raise not_found("webhook", webhook_id)
    hook.active = False
    await deliveries.cancel_pending(
        session=session, channel="webhook", target_id=hook.id, reason="webhook deactivated"
    )
    return hook
