"""The JetStream event bus: one stream for ``wir.>``, idempotent publishing, durable consumers.

Publishing sets ``Nats-Msg-Id`` to the CloudEvent id, so a retried publish within the
stream's duplicate window is stored once. Consumers are durable pull consumers with
explicit acks and a bounded ``max_deliver``; a handler raising :class:`PermanentError`
terminates the message, any other error naks it for redelivery with a growing delay.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import nats
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from shared.events import CloudEvent
from shared.settings import WirSettings

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/cloudevents+json"
EventHandler = Callable[[CloudEvent], Awaitable[None]]


class PermanentError(Exception):
    """A message that can never be handled: redelivering it would not help."""


async def connect_nats(settings: WirSettings, *, name: str) -> NatsClient:
    """Connect with endless reconnects: an outage pauses WIR, it does not stop it."""
    return await nats.connect(
        servers=[settings.nats_url],
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        connect_timeout=5,
    )


@dataclass
class EventBus:
    js: JetStreamContext
    settings: WirSettings

    @classmethod
    def from_client(cls, nc: NatsClient, settings: WirSettings) -> EventBus:
        return cls(js=nc.jetstream(), settings=settings)

    @property
    def stream(self) -> str:
        return self.settings.stream_name

    async def ensure_stream(self) -> None:
        """Create or update the stream that keeps every WIR event (limits retention)."""
        config = StreamConfig(
            name=self.stream,
            subjects=["wir.>"],
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            duplicate_window=self.settings.stream_duplicate_window_seconds,
            max_age=self.settings.stream_max_age_days * 24 * 3600.0,
        )
        try:
            await self.js.stream_info(self.stream)
        except NotFoundError:
            await self.js.add_stream(config)
        else:
            await self.js.update_stream(config)

    async def publish(self, event: CloudEvent) -> bool:
        """Store the event once; returns False when the stream already had it."""
        ack = await self.js.publish(
            event.nats_subject,
            event.model_dump_json().encode(),
            stream=self.stream,
            headers={"Nats-Msg-Id": event.id, "Content-Type": CONTENT_TYPE},
        )
        return not ack.duplicate

    async def consume(
        self,
        *,
        durable: str,
        subject: str,
        handler: EventHandler,
        stop: asyncio.Event,
        batch: int = 50,
    ) -> None:
        """Feed events on ``subject`` to ``handler`` until ``stop`` is set.

        The durable consumer remembers its position on the server, so a restarted
        service resumes where it left off.
        """
        config = ConsumerConfig(
            durable_name=durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            max_deliver=self.settings.consumer_max_deliver,
            ack_wait=self.settings.consumer_ack_wait_seconds,
            filter_subject=subject,
        )
        sub = await self.js.pull_subscribe(
            subject, durable=durable, stream=self.stream, config=config
        )
        try:
            while not stop.is_set():
                try:
                    msgs = await sub.fetch(batch, timeout=1)
                except TimeoutError:
                    continue
                except nats.errors.Error as exc:  # connection trouble: wait for reconnect
                    log.warning("consumer %s: fetch failed: %s", durable, exc)
                    await asyncio.sleep(1)
                    continue
                for msg in msgs:
                    await self._handle(msg, durable=durable, handler=handler)
        finally:
            await sub.unsubscribe()

    async def _handle(self, msg: Msg, *, durable: str, handler: EventHandler) -> None:
        try:
            event = CloudEvent.model_validate_json(msg.data)
        except ValidationError as exc:
            log.error(
                "consumer %s: malformed event on %s terminated: %s", durable, msg.subject, exc
            )
            await msg.term()
            return
        try:
            await handler(event)
        except PermanentError as exc:
            log.error("consumer %s: event %s terminated: %s", durable, event.id, exc)
            await msg.term()
        except Exception:
            attempt = msg.metadata.num_delivered
            log.exception("consumer %s: event %s failed (delivery %s)", durable, event.id, attempt)
            await msg.nak(delay=min(2.0**attempt, 60.0))
        else:
            await msg.ack()
