"""NATS subjects the coordination service listens to: its own events (``wir.coordination.>``),
projected on the read model by each domain's projection."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from services.coordination import outbox
from services.coordination.fachtage.projection import PREFIXES as FACHTAG_PREFIXES
from services.coordination.fachtage.projection import FachtagProjection
from services.coordination.groups.projection import GROUP_EVENT_PREFIXES, GroupProjection
from shared.contracts.consumers import COORDINATION_READ_MODEL, COORDINATION_READ_MODEL_SUBJECT
from shared.contracts.envelope import CloudEvent
from shared.runtime import ServiceRuntime


class EventProjection(Protocol):
    """What a domain's projection offers the consumer (shared.projection.Projection)."""

    async def apply(self, event: CloudEvent) -> bool: ...


#: Event type prefix -> the projection that keeps its entity. A domain package adds its line.
PROJECTIONS: Sequence[tuple[str, Callable[[AsyncSession], EventProjection]]] = (
    *((f"wir.coordination.{p}", GroupProjection) for p in GROUP_EVENT_PREFIXES),
    *((prefix, FachtagProjection) for prefix in FACHTAG_PREFIXES),
)


async def project(session: AsyncSession, event: CloudEvent) -> bool:
    """Apply ``event`` with the projection of its type; False: seen before or not ours."""
    for prefix, projection in PROJECTIONS:
        if event.type.startswith(prefix):
            return await projection(session).apply(event)
    return False


def start(runtime: ServiceRuntime) -> None:
    async def handle(event: CloudEvent) -> None:
        async with runtime.sessions() as session:
            await project(session, event)
            await session.commit()

    runtime.start_consumer(
        durable=COORDINATION_READ_MODEL, subject=COORDINATION_READ_MODEL_SUBJECT, handler=handle
    )
    # The measures' events, staged beside their changes (outbox.py): what the routes could
    # not publish at once.
    runtime.start_task("outbox-relay", lambda stop: outbox.relay(runtime, stop))
