"""The delivery log: which e-mails and webhook calls an event gives rise to, and their fate.

A delivery is planned in the same transaction that stores the event's notifications and
is unique per (event, channel, target), so a redelivered event never plans — and never
sends — anything twice. The dispatcher (dispatch.py) sends what is due.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.deliveries.models import Delivery
from services.notifications.notices.rules import Notice
from services.notifications.notices.templates import DEFAULT_LANGUAGE
from services.notifications.recipients.models import Recipient, Webhook
from services.notifications.settings import NotificationSettings
from shared import tracing
from shared.contracts.envelope import CloudEvent
from shared.metrics import count_delivery
from shared.pagination import PageParams, fetch_page
from shared.problems import ProblemError, not_found

PENDING, SENT, FAILED, SUPPRESSED = "pending", "sent", "failed", "suppressed"
# Ended without an attempt being made any more (e.g. its webhook was deactivated).
CANCELLED = "cancelled"


async def plan(
    *,
    session: AsyncSession,
    event: CloudEvent,
    notices: list[Notice],
    settings: NotificationSettings,
    now: datetime,
) -> tuple[dict[tuple[str, str], str], list[Delivery]]:
    """The addressees' languages and the deliveries ``event`` needs."""
    recipients: dict[tuple[str, str], Recipient] = {}
    for notice in notices:
        key = (notice.addressee_kind.value, notice.addressee)
        found = await session.scalar(
            select(Recipient).where(Recipient.kind == key[0], Recipient.addressee == key[1])
        )
        if found is not None:
            recipients[key] = found
    languages = {key: r.language for key, r in recipients.items()}
    give_up_at = now + timedelta(seconds=settings.notification_give_up_seconds)
    planned: list[Delivery] = []

    def delivery(**fields: object) -> Delivery:
        status = fields.pop("status", PENDING)
        return Delivery(
            id=str(uuid.uuid4()),
            event_id=event.id,
            event_type=event.type,
            entity_id=event.subject[:64],
            status=status,
            attempts=0,
            resends=0,
            created_at=now,
            next_attempt_at=now if status == PENDING else None,
            give_up_at=give_up_at,
            # the consumer's span: the dispatcher's sending joins the event's trace
            traceparent=tracing.current_traceparent(),
            **fields,
        )

    if settings.smtp_host is not None:
        for notice in notices:
            recipient = recipients.get((notice.addressee_kind.value, notice.addressee))
            if recipient is None or not recipient.email:
                continue
            subject, body = notice.text(recipient.language)
            muted = recipient.opted_out and not notice.mandatory
            planned.append(
                delivery(
                    channel="email",
                    target_id=recipient.id,
                    recipient=notice.addressee,
                    mandatory=notice.mandatory,
                    language=recipient.language,
                    subject=subject[:200],
                    body=body,
                    status=SUPPRESSED if muted else PENDING,
                )
            )
    for hook in await session.scalars(select(Webhook).where(Webhook.active.is_(True))):
        if hook.event_types and event.type not in hook.event_types:
            continue
        planned.append(
            delivery(
                channel="webhook",
                target_id=hook.id,
                recipient="webhook",
                mandatory=False,
                language=DEFAULT_LANGUAGE,
                subject=event.type,
                body=event.model_dump_json(),
            )
        )
    return languages, planned


async def cancel_pending(
    *, session: AsyncSession, channel: str, target_id: str, reason: str
) -> int:
    """End the pending deliveries to one target, with ``reason``; returns how many.

    Conditional on still being pending; one the dispatcher is sending at this moment may
    still end as sent. The caller commits.
    """
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.channel == channel,
            Delivery.target_id == target_id,
            Delivery.status == PENDING,
        )
        .values(status=CANCELLED, next_attempt_at=None, last_error=reason[:500])
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def get_delivery(*, session: AsyncSession, delivery_id: str) -> Delivery:
    found = await session.get(Delivery, delivery_id)
    if found is None:
        raise not_found("delivery", delivery_id)
    return found


async def list_deliveries(
    *,
    session: AsyncSession,
    page: PageParams,
    recipient: str | None = None,
    event_id: str | None = None,
    event_type: str | None = None,
    status: str | None = None,
    channel: str | None = None,
) -> tuple[list[Delivery], int]:
    """Newest first."""
    query = select(Delivery)
    for column, value in (
        (Delivery.recipient, recipient),
        (Delivery.event_id, event_id),
        (Delivery.event_type, event_type),
        (Delivery.status, status),
        (Delivery.channel, channel),
    ):
        if value:
            query = query.where(column == value)
    order = (Delivery.created_at.desc(), Delivery.id.desc())
    return await fetch_page(session, query.order_by(*order), page)


async def resend(
    *,
    session: AsyncSession,
    delivery_id: str,
    actor: str,
    settings: NotificationSettings,
    now: datetime,
) -> Delivery:
    """Put a failed delivery back in the queue with a fresh give-up time. The caller commits."""
    found = await get_delivery(session=session, delivery_id=delivery_id)
    if found.status != FAILED:
        raise ProblemError(
            409,
            "Not failed",
            f"delivery {delivery_id} is {found.status}; only a failed one is re-sent",
        )
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == FAILED)
        .values(
            status=PENDING,
            attempts=0,
            resends=Delivery.resends + 1,
            next_attempt_at=now,
            give_up_at=now + timedelta(seconds=settings.notification_give_up_seconds),
            resent_by=actor,
        )
    )
    await session.flush()
    await session.refresh(found)
    return found


def count_stored(*, inbox: int, planned: list[Delivery]) -> None:
    """Count what an event's notifications came to once committed (shared/metrics.py):
    ``inbox`` notifications stored, e-mails not sent to an addressee who opted out. What
    the dispatcher sends is counted there."""
    count_delivery(channel="inbox", outcome="stored", amount=inbox)
    muted = sum(1 for d in planned if d.status == SUPPRESSED)
    count_delivery(channel="email", outcome=SUPPRESSED, amount=muted)
