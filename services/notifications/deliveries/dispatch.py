"""Sends the deliveries that are due, retries failures with exponential backoff and gives
up after the configured time: the delivery is recorded as failed and the event
``wir.notification.delivery_failed`` is published.

Claiming a delivery is a conditional update (pending and due → due again after a lease),
so two service instances never send the same delivery at the same time.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifications.deliveries.channels import Channels, DeliveryError
from services.notifications.deliveries.models import Delivery
from services.notifications.deliveries.service import CANCELLED, FAILED, PENDING, SENT
from services.notifications.recipients.models import Recipient, Webhook
from services.notifications.settings import NotificationSettings
from shared import tracing
from shared.bus import EventBus
from shared.contracts.envelope import build_event
from shared.contracts.events.notification import NotificationDeliveryFailed
from shared.metrics import count_delivery

log = logging.getLogger(__name__)

# How long a claimed delivery is left alone before another attempt may claim it again.
LEASE = timedelta(minutes=2)
BATCH = 50


def _now() -> datetime:
    return datetime.now(UTC)


class Cancelled(Exception):
    """The delivery can never be made (its webhook was deactivated or removed)."""


class Dispatcher:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        settings: NotificationSettings,
        channels: Channels,
        bus: EventBus,
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._channels = channels
        self._bus = bus
        self.wake = asyncio.Event()

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop``: send what is due, then sleep until woken or the next interval."""
        while not stop.is_set():
            try:
                while await self.dispatch_due() == BATCH:
                    pass
            except Exception:
                log.exception("dispatcher: a round failed; trying again")
            self.wake.clear()
            waiters = [asyncio.ensure_future(e.wait()) for e in (stop, self.wake)]
            await asyncio.wait(
                waiters,
                timeout=self._settings.notification_dispatch_interval_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
            for waiter in waiters:
                waiter.cancel()

    async def dispatch_due(self) -> int:
        """Attempt every due delivery once; returns how many were attempted."""
        now = _now()
        # An instance without SMTP leaves e-mail to one that has it.
        channels = ["email", "webhook"] if self._channels.email_enabled else ["webhook"]
        async with self._sessions() as session:
            due = list(
                await session.scalars(
                    select(Delivery.id)
                    .where(
                        Delivery.status == PENDING,
                        Delivery.next_attempt_at <= now,
                        Delivery.channel.in_(channels),
                    )
                    .order_by(Delivery.next_attempt_at)
                    .limit(BATCH)
                )
            )
        for delivery_id in due:
            await self._attempt(delivery_id, now)
        return len(due)

    async def _attempt(self, delivery_id: str, now: datetime) -> None:
        async with self._sessions() as session:
            claimed = await session.execute(
                update(Delivery)
                .where(
                    Delivery.id == delivery_id,
                    Delivery.status == PENDING,
                    Delivery.next_attempt_at <= now,
                )
                .values(next_attempt_at=now + LEASE)
            )
            await session.commit()
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return
            delivery = await session.get(Delivery, delivery_id)
            assert delivery is not None
            try:
                span = {"wir.delivery.channel": delivery.channel, "wir.delivery.id": delivery.id}
                with tracing.continued(
                    f"deliver {delivery.channel}", traceparent=delivery.traceparent, attributes=span
                ):
                    await self._send(session, delivery)
            except Cancelled as exc:
                delivery.status, delivery.next_attempt_at = CANCELLED, None
                delivery.last_error = str(exc)
            except DeliveryError as exc:
                await self._failed(session, delivery, str(exc))
            else:
                delivery.status, delivery.sent_at = SENT, _now()
                delivery.attempts += 1
                delivery.next_attempt_at, delivery.last_error = None, None
            await session.commit()
            # sent, cancelled, failed (given up) or retried (tried again later)
            outcome = "retried" if delivery.status == PENDING else delivery.status
            count_delivery(channel=delivery.channel, outcome=outcome)

    async def _send(self, session: AsyncSession, delivery: Delivery) -> None:
        if delivery.channel == "email":
            recipient = await session.get(Recipient, delivery.target_id)
            if recipient is None or not recipient.email:
                raise DeliveryError("recipient has no e-mail address any more")
            await self._channels.send_email(
                to=recipient.email,
                subject=delivery.subject,
                body=delivery.body,
                language=delivery.language,
                delivery_id=delivery.id,
            )
        else:
            hook = await session.get(Webhook, delivery.target_id)
            if hook is None or not hook.active:
                # Never call a deactivated webhook, and do not retry it for a day either.
                raise Cancelled("webhook deactivated" if hook else "webhook removed")
            await self._channels.post_webhook(
                url=hook.url, secret=hook.secret, body=delivery.body, delivery_id=delivery.id
            )

    async def _failed(self, session: AsyncSession, delivery: Delivery, error: str) -> None:
        s = self._settings
        delivery.attempts += 1
        delivery.last_error = error[:500]
        delay = min(
            s.notification_retry_initial_seconds * 2 ** (delivery.attempts - 1),
            s.notification_retry_max_seconds,
        )
        next_at = _now() + timedelta(seconds=delay)
        if next_at <= delivery.give_up_at:
            delivery.next_attempt_at = next_at
            return
        log.warning(
            "delivery %s given up after %s attempts: %s", delivery.id, delivery.attempts, error
        )
        # Published before the failure is committed: a crash in between publishes again
        # under the same id, which the stream drops.
        data = NotificationDeliveryFailed(
            seq=delivery.resends + 1,
            stage=FAILED,
            delivery_id=delivery.id,
            source_event_id=delivery.event_id,
            source_event_type=delivery.event_type,
            channel="email" if delivery.channel == "email" else "webhook",
            recipient_id=delivery.target_id,
            attempts=delivery.attempts,
            error=delivery.last_error,
        )
        event_id = f"{delivery.id}:failed:{delivery.resends}"
        await self._bus.publish(build_event(event_id=event_id, data=data, time=_now()))
        delivery.status, delivery.next_attempt_at = FAILED, None
