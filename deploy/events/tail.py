"""Follow WIR events as an external subscriber does: from now, from a time, or from the start.

Used by ``wir events tail``; docs/events-subscribing.md shows the same with plain nats-py.
Each subscription is an ordered (ephemeral) consumer: it needs only read permissions and
leaves nothing behind on the server. It reads the subscribers' mirror of the stream
(``WIR_MIRROR``, the one stream the ``subscriber`` user sees) where there is one, else the
stream that holds the subject (as the ``admin`` user, or a NATS without users).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import nats
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from deploy.events.conformance import problems
from deploy.nats.users import MIRROR


@dataclass(frozen=True)
class Start:
    """Where a subscription starts: ``since`` wins over ``from_start``; neither = now."""

    since: datetime | None = None
    from_start: bool = False

    def config(self) -> ConsumerConfig:
        if self.since is not None:
            return ConsumerConfig(
                deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=self.since
            )
        if self.from_start:
            return ConsumerConfig(deliver_policy=DeliverPolicy.ALL)
        return ConsumerConfig(deliver_policy=DeliverPolicy.NEW)


def subject_for(event_type: str | None) -> str:
    """``wir.application.approved`` → ``wir.application.approved.*``; none → ``wir.>``."""
    return f"{event_type}.*" if event_type else "wir.>"


async def stream_to_read(js: JetStreamContext) -> str | None:
    """The subscribers' mirror if this connection sees one; None: look up by subject."""
    try:
        await js.stream_info(MIRROR)
    except (NotFoundError, nats.errors.Error, TimeoutError):
        return None  # no mirror here, or a user that may not look at it
    return MIRROR


async def tail(
    *,
    url: str,
    event_type: str | None,
    start: Start,
    emit: Callable[[str], None],
    count: int | None = None,
    idle_seconds: float | None = None,
    user: str | None = None,
    password: str | None = None,
    stop: asyncio.Event | None = None,
) -> int:
    """Emit each event as one JSON line; returns how many. Ends after ``count`` events,
    after ``idle_seconds`` without one, or when ``stop`` is set."""
    # A restricted user such as "subscriber" may only receive on its own inbox prefix.
    inbox = f"_INBOX_{user}" if user else "_INBOX"
    nc = await nats.connect(
        url, user=user, password=password, name="wir-events-tail", inbox_prefix=inbox
    )
    seen = 0
    try:
        js = nc.jetstream()
        stream = await stream_to_read(nc.jetstream(timeout=2))
        sub = await js.subscribe(
            subject_for(event_type), stream=stream, ordered_consumer=True, config=start.config()
        )
        while (count is None or seen < count) and not (stop and stop.is_set()):
            try:
                msg = await sub.next_msg(timeout=idle_seconds or 1.0)
            except nats.errors.TimeoutError:
                if idle_seconds is not None:
                    break
                continue
            event = json.loads(msg.data)
            bad = problems(msg.subject, msg.headers, msg.data)
            if bad:
                event = {"nonconforming": bad, "event": event}
            emit(json.dumps(event, ensure_ascii=False, sort_keys=True))
            seen += 1
        await sub.unsubscribe()
    finally:
        await nc.drain()
    return seen
