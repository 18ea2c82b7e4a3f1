"""The coordination service's outbox: facts that no workflow publishes (the measures').

The audit log's pattern (shared/audit.py, shared/audit_relay.py) applied to domain events:
a use case adds the event's row in the same commit as the change it reports, so a change
is never without its event nor an event without its change. After the commit the route
publishes the rows at once (:func:`publish_pending`); the relay started with the service's
consumers publishes every few seconds whatever NATS could not take then. The event id is
fixed in the row, so a row published twice (a crash between publish and flag, or the route
and the relay at once) is stored once on the stream (``Nats-Msg-Id``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from sqlalchemy import Boolean, String, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from services.coordination.base import Base
from shared.contracts.envelope import CloudEvent, EventData, build_event, derive_event_id
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


class OutboxEvent(Base):
    """One event waiting for (or past) its publication."""

    __tablename__ = "coordination_outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    #: the order of publication: the event's time plus its ``seq`` in microseconds (stage)
    at: Mapped[datetime] = mapped_column(index=True)
    type: Mapped[str] = mapped_column(String(100))
    #: the CloudEvent as JSON
    event: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


def stage(session: AsyncSession, *, entity: str, data: EventData, at: datetime) -> CloudEvent:
    """Add ``data`` as the ``data.seq``-th event of ``entity`` (e.g. ``measure-<id>``) to
    the session; it is published once the caller has committed."""
    event = build_event(event_id=derive_event_id(entity, data.seq), data=data, time=at)
    # The events of one change share their time, and the ids that break the tie are
    # random: ordered by time alone, a change's second event could go out before its
    # first. Adding ``seq`` microseconds keeps an entity's rows in ``seq`` order (a later
    # event has a time no earlier and a higher seq); the event's own time is unchanged.
    order = at + timedelta(microseconds=data.seq)
    session.add(
        OutboxEvent(
            id=event.id, at=order, type=event.type, event=event.model_dump_json(), published=False
        )
    )
    return event


async def publish_pending(runtime: ServiceRuntime, *, limit: int = 200) -> int:
    """Publish the stored events not yet on the stream, oldest first, until NATS refuses
    one; the number published."""
    async with runtime.sessions() as session:
        rows = (
            await session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.published.is_(False))
                .order_by(OutboxEvent.at, OutboxEvent.id)
                .limit(limit)
            )
        ).all()
        done: list[str] = []
        for row in rows:
            try:
                event = CloudEvent.model_validate_json(row.event)
                await asyncio.wait_for(runtime.bus.publish(event), timeout=2)
            except Exception as exc:  # NATS away: the relay tries again later
                log.warning("event %s not published yet: %s", row.id, exc)
                break
            done.append(row.id)
        if done:
            await session.execute(
                update(OutboxEvent).where(OutboxEvent.id.in_(done)).values(published=True)
            )
            await session.commit()
    return len(done)


async def relay(
    runtime: ServiceRuntime, stop: asyncio.Event, *, every: float = 3.0, limit: int = 200
) -> None:
    """Background task: publish what the routes could not, every ``every`` seconds."""
    while not stop.is_set():
        try:
            while await publish_pending(runtime, limit=limit) == limit:
                pass  # a full batch: more may wait
        except Exception:
            log.exception("outbox relay failed; retrying")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)
