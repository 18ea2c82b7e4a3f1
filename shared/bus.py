"""The JetStream event bus: one stream for ``wir.>``, idempotent publishing, durable consumers.

Publishing sets ``Nats-Msg-Id`` to the CloudEvent id, so a retried publish within the
stream's duplicate window is stored once. Consumers are durable pull consumers with
explicit acks, a bounded ``max_deliver`` and a backoff; any error naks a message for
redelivery after the next backoff delay. A message that cannot be handled — malformed, a
handler raising :class:`PermanentError`, or failing on its last allowed delivery — is
copied with the reason to the dead-letter stream (subject ``deadletter.<consumer>``,
outside ``wir.>`` so subscribers never see it) and terminated. Design: docs/events-subscribing.md.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

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
from nats.js.errors import Error as JetStreamError
from nats.js.errors import NotFoundError
from pydantic import ValidationError

from shared import tracing
from shared.contracts.envelope import CloudEvent
from shared.metrics import ConsumerMetrics, count_published
from shared.settings import WirSettings

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/cloudevents+json"
DEADLETTER_PREFIX = "deadletter"
EventHandler = Callable[[CloudEvent], Awaitable[None]]


class PermanentError(Exception):
    """A message that can never be handled: redelivering it would not help."""


@dataclass(frozen=True)
class DeadLetter:
    """A message a consumer gave up on, as kept in the dead-letter stream."""

    seq: int
    consumer: str
    subject: str
    reason: str
    deliveries: int
    stream_seq: int
    dead_at: datetime
    body: str


def inbox_prefix(user: str | None) -> str:
    """Replies to a NATS user come on its own prefix; its permissions allow no other."""
    return f"_INBOX_{user}" if user else "_INBOX"


async def connect_nats(settings: WirSettings, *, name: str) -> NatsClient:
    """Connect with endless reconnects: an outage pauses WIR, it does not stop it.

    As ``settings.nats_user`` when set (deploy/nats/wir.conf defines one user per process)."""
    password = settings.nats_password
    return await nats.connect(
        # a comma-separated list names several nodes of a cluster
        servers=settings.nats_url.split(","),
        name=name,
        user=settings.nats_user,
        password=password.get_secret_value() if password is not None else None,
        inbox_prefix=inbox_prefix(settings.nats_user),
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        connect_timeout=5,
    )


# The stream settings WIR sets; the server fills in the rest.
_STREAM_FIELDS = (
    "subjects",
    "retention",
    "storage",
    "duplicate_window",
    "max_age",
    "max_bytes",
    "num_replicas",
)


def _stream_matches(current: StreamConfig, wanted: StreamConfig) -> bool:
    for name in _STREAM_FIELDS:
        want, have = getattr(wanted, name), getattr(current, name)
        if want is None:
            continue
        if isinstance(want, float) and isinstance(have, float | int):
            if not math.isclose(want, have, rel_tol=1e-9):
                return False
        elif want != have:
            return False
    return True


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
        """Create or update the stream that keeps every WIR event (limits retention), and
        the dead-letter stream beside it."""
        s = self.settings
        await self._ensure(
            StreamConfig(
                name=self.stream,
                subjects=["wir.>"],
                retention=RetentionPolicy.LIMITS,
                storage=StorageType.FILE,
                duplicate_window=s.stream_duplicate_window_seconds,
                max_age=s.stream_max_age_days * 24 * 3600.0,
                max_bytes=s.stream_max_bytes,
                num_replicas=s.stream_replicas,
            )
        )
        await self._ensure(
            StreamConfig(
                name=s.deadletter_stream_name,
                subjects=[f"{DEADLETTER_PREFIX}.>"],
                retention=RetentionPolicy.LIMITS,
                storage=StorageType.FILE,
                duplicate_window=120.0,  # the server's default, named so it compares equal
                max_age=s.deadletter_max_age_days * 24 * 3600.0,
                num_replicas=s.stream_replicas,
            )
        )

    async def _ensure(self, config: StreamConfig) -> None:
        """Create the stream, or update it where it differs from ``config``.

        A stream already as configured is left alone, so a process whose NATS user may
        only read the stream's info (the services; the worker and operators own the
        streams) starts as long as someone set the stream up with the same settings."""
        try:
            current = (await self.js.stream_info(str(config.name))).config
        except NotFoundError:
            await self.js.add_stream(config)
            return
        if _stream_matches(current, config):
            return
        await self.js.update_stream(config)

    async def publish(self, event: CloudEvent) -> bool:
        """Store the event once; returns False when the stream already had it."""
        with tracing.publishing(event) as event:  # a producer span; its traceparent
            try:
                ack = await self.js.publish(
                    event.nats_subject,
                    event.model_dump_json().encode(),
                    stream=self.stream,
                    headers={"Nats-Msg-Id": event.id, "Content-Type": CONTENT_TYPE},
                )
            except Exception:
                count_published("failed")
                raise
        count_published("duplicate" if ack.duplicate else "stored")
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
            # Redelivery after an ack timeout; naks pick their delay from the same list.
            backoff=self._backoff(),
            filter_subject=subject,
        )
        # Create, or update a durable that an older release created with other settings.
        await self.js.add_consumer(self.stream, config)
        sub = await self.js.pull_subscribe_bind(durable=durable, stream=self.stream)
        observed = ConsumerMetrics(durable)
        try:
            while not stop.is_set():
                try:
                    msgs = await sub.fetch(batch, timeout=1)
                except TimeoutError:
                    observed.idle()
                    continue
                except nats.errors.Error as exc:  # connection trouble: wait for reconnect
                    log.warning("consumer %s: fetch failed: %s", durable, exc)
                    await asyncio.sleep(1)
                    continue
                for msg in msgs:
                    meta = msg.metadata
                    observed.delivered(meta.num_delivered, pending=meta.num_pending)
                    observed.handled(await self._handle(msg, durable=durable, handler=handler))
        finally:
            await sub.unsubscribe()

    def _backoff(self) -> list[float]:
        """One delay per redelivery, as JetStream wants it: fewer than max_deliver, the
        first no shorter than ack_wait would be ineffective, so ack_wait leads."""
        s = self.settings
        steps = [max(d, s.consumer_ack_wait_seconds) for d in s.consumer_backoff_seconds]
        return steps[: max(s.consumer_max_deliver - 1, 1)]

    def _nak_delay(self, attempt: int) -> float:
        delays = self.settings.consumer_backoff_seconds or [1.0]
        return delays[min(attempt, len(delays)) - 1]

    async def _handle(self, msg: Msg, *, durable: str, handler: EventHandler) -> str:
        """Hand one message to ``handler``; returns the outcome: ``acked``, ``retried``
        or ``dead_lettered`` (counted by the consumer loop, shared/metrics.py)."""
        attempt = msg.metadata.num_delivered
        try:
            event = CloudEvent.model_validate_json(msg.data)
        except ValidationError as exc:
            return await self._dead(msg, durable=durable, reason=f"malformed CloudEvent: {exc}")
        try:
            with tracing.consuming(event, consumer=durable):  # child of its traceparent
                await handler(event)
        except PermanentError as exc:
            return await self._dead(msg, durable=durable, reason=f"permanent error: {exc}")
        except Exception as exc:
            if attempt >= self.settings.consumer_max_deliver:
                reason = f"failed {attempt} deliveries, last: {type(exc).__name__}: {exc}"
                return await self._dead(msg, durable=durable, reason=reason)
            log.exception("consumer %s: event %s failed (delivery %s)", durable, event.id, attempt)
            await msg.nak(delay=self._nak_delay(attempt))
            return "retried"
        await msg.ack()
        return "acked"

    async def _dead(self, msg: Msg, *, durable: str, reason: str) -> str:
        """Keep the message with the reason in the dead-letter stream, then terminate it.
        Should the dead-letter stream refuse it, the message is nak'd and tried again."""
        meta = msg.metadata
        log.error("consumer %s: message %s dead-lettered: %s", durable, msg.subject, reason)
        headers = {
            "Nats-Msg-Id": f"{durable}:{meta.sequence.stream}",
            "Wir-Consumer": durable,
            "Wir-Subject": msg.subject,
            "Wir-Reason": reason[:2000].replace("\n", " "),
            "Wir-Deliveries": str(meta.num_delivered),
            "Wir-Stream-Seq": str(meta.sequence.stream),
            "Wir-Dead-At": datetime.now(UTC).isoformat(),
        }
        try:
            await self.js.publish(
                f"{DEADLETTER_PREFIX}.{durable}",
                msg.data,
                stream=self.settings.deadletter_stream_name,
                headers=headers,
            )
        except (JetStreamError, nats.errors.Error) as exc:
            log.error("consumer %s: dead-lettering failed: %s", durable, exc)
            await msg.nak(delay=self._nak_delay(meta.num_delivered))
            return "retried"
        await msg.term()
        return "dead_lettered"

    async def dead_letters(
        self, *, consumer: str | None = None, limit: int = 50
    ) -> list[DeadLetter]:
        """The newest dead letters first, of one consumer or of all."""
        stream = self.settings.deadletter_stream_name
        state = (await self.js.stream_info(stream)).state
        found: list[DeadLetter] = []
        seq = state.last_seq
        while seq >= max(state.first_seq, 1) and len(found) < limit:
            try:
                raw = await self.js.get_msg(stream, seq)
            except NotFoundError:
                seq -= 1
                continue
            seq -= 1
            h = raw.headers or {}
            if consumer is not None and h.get("Wir-Consumer") != consumer:
                continue
            found.append(
                DeadLetter(
                    seq=int(raw.seq or 0),
                    consumer=h.get("Wir-Consumer", ""),
                    subject=h.get("Wir-Subject", ""),
                    reason=h.get("Wir-Reason", ""),
                    deliveries=int(h.get("Wir-Deliveries", "0")),
                    stream_seq=int(h.get("Wir-Stream-Seq", "0")),
                    dead_at=datetime.fromisoformat(
                        h.get("Wir-Dead-At", "1970-01-01T00:00:00+00:00")
                    ),
                    body=(raw.data or b"").decode("utf-8", "replace"),
                )
            )
        return found
