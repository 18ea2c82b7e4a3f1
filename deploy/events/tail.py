"""Follow WIR events as an external subscriber does: from now, from a time, or from the start.

Used by ``wir events tail``; docs/events-subscribing.md shows the same with plain nats-py.
Each subscription is an ordered (ephemeral) consumer: it needs only read permissions and
leaves nothing behind on the server. It reads the subscribers' mirror of the stream
(``WIR_MIRROR``, the one stream the ``subscriber`` user sees) where there is one, else the
stream that holds the subject (as the ``admin`` user, or a NATS without users).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import nats
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from deploy.events.conformance import problems
from deploy.nats.users import MIRROR

# How hard the tail tries to reach NATS: at the start, and again after losing it. With
# these it gives up after about ten seconds and says so, instead of retrying forever.
CONNECT_TIMEOUT_SECONDS = 2
RECONNECT_WAIT_SECONDS = 1
RECONNECT_ATTEMPTS = 5


class Unreachable(Exception):
    """NATS cannot be reached at ``url`` (``cause``: the last error the client saw)."""

    def __init__(self, url: str, cause: Exception | None) -> None:
        self.url = url
        reason = _reason(cause)
        super().__init__(f"cannot reach NATS at {url}" + (f": {reason}" if reason else ""))


class NoStream(Exception):
    """NATS answers, but no stream it lets this user see holds ``subject``."""

    def __init__(self, subject: str) -> None:
        super().__init__(f"no stream on this NATS holds {subject}")


def _reason(cause: Exception | None) -> str:
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    return str(cause or "").strip() or (type(cause).__name__ if cause else "")


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
    after ``idle_seconds`` without one (connected or not), or when ``stop`` is set; raises
    ``Unreachable`` when NATS cannot be reached, at the start or after losing it."""
    # A restricted user such as "subscriber" may only receive on its own inbox prefix.
    inbox = f"_INBOX_{user}" if user else "_INBOX"
    errors: list[Exception] = []

    async def remember(error: Exception) -> None:  # instead of a traceback per attempt
        errors.append(error)

    try:
        nc = await nats.connect(
            url,
            user=user,
            password=password,
            name="wir-events-tail",
            inbox_prefix=inbox,
            error_cb=remember,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            reconnect_time_wait=RECONNECT_WAIT_SECONDS,
            max_reconnect_attempts=RECONNECT_ATTEMPTS,
        )
    except (OSError, TimeoutError, nats.errors.Error) as error:
        raise Unreachable(url, errors[-1] if errors else error) from None
    seen = 0
    try:
        try:  # NATS may go away while the subscription is still being set up
            js = nc.jetstream()
            stream = await stream_to_read(nc.jetstream(timeout=2))
            sub = await js.subscribe(
                subject_for(event_type), stream=stream, ordered_consumer=True, config=start.config()
            )
        except (TimeoutError, nats.errors.Error) as error:
            if isinstance(error, NotFoundError):  # connected, but nothing holds these events
                raise NoStream(subject_for(event_type)) from None
            raise Unreachable(url, errors[-1] if errors else error) from None
        while (count is None or seen < count) and not (stop and stop.is_set()):
            try:
                msg = await sub.next_msg(timeout=idle_seconds or 1.0)
            except nats.errors.ConnectionClosedError:  # lost, and every reconnect failed
                raise Unreachable(url, errors[-1] if errors else None) from None
            except nats.errors.TimeoutError:  # also while reconnecting
                if idle_seconds is not None:
                    break
                continue
            event = json.loads(msg.data)
            bad = problems(msg.subject, msg.headers, msg.data)
            if bad:
                event = {"nonconforming": bad, "event": event}
            emit(json.dumps(event, ensure_ascii=False, sort_keys=True))
            seen += 1
        if nc.is_connected:
            await sub.unsubscribe()
    finally:
        await _close(nc)
    return seen


async def _close(nc: NATS) -> None:
    """Drain a live connection; one that is down or reconnecting is just closed."""
    if nc.is_connected:
        with contextlib.suppress(nats.errors.Error, TimeoutError):
            await nc.drain()
    if not nc.is_closed:
        await nc.close()
