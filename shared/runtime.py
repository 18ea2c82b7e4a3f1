"""What every WIR service opens on start and closes on stop.

A service's lifespan calls :func:`open_runtime` (database with migrations applied, NATS
with the stream ensured, optionally Temporal) and :meth:`ServiceRuntime.close`. Event
consumers run as background tasks that stop with the service.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nats.aio.client import Client as NatsClient
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.client import Client

from shared.bus import EventBus, EventHandler, connect_nats
from shared.db import create_engine, session_factory
from shared.migrations import upgrade
from shared.settings import WirSettings
from shared.temporal import connect_temporal

log = logging.getLogger(__name__)


@dataclass
class ServiceRuntime:
    name: str
    settings: WirSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    nats: NatsClient
    bus: EventBus
    temporal: Client | None
    #: Set when an audit row waits to be published (shared/audit.py).
    audit_wake: asyncio.Event = field(default_factory=asyncio.Event)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def start_consumer(self, *, durable: str, subject: str, handler: EventHandler) -> None:
        task = asyncio.create_task(
            self.bus.consume(durable=durable, subject=subject, handler=handler, stop=self._stop),
            name=f"{self.name}:{durable}",
        )
        self._tasks.append(task)

    def start_task(
        self, name: str, run: Callable[[asyncio.Event], Coroutine[Any, Any, None]]
    ) -> None:
        """Run ``run(stop)`` in the background; ``stop`` is set when the service stops."""
        self._tasks.append(asyncio.create_task(run(self._stop), name=f"{self.name}:{name}"))

    def require_temporal(self) -> Client:
        if self.temporal is None:
            raise RuntimeError(f"service {self.name} was opened without Temporal")
        return self.temporal

    async def close(self) -> None:
        self._stop.set()
        for task in self._tasks:
            try:
                await asyncio.wait_for(task, timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
            except Exception:
                log.exception("consumer task %s ended with an error", task.get_name())
        if not self.nats.is_closed:
            await self.nats.drain()
        await self.engine.dispose()


async def open_runtime(
    settings: WirSettings,
    *,
    name: str,
    migrations: Path,
    with_temporal: bool = True,
    seed: Callable[[async_sessionmaker[AsyncSession]], Awaitable[None]] | None = None,
) -> ServiceRuntime:
    engine = create_engine(settings.database_url_for(name))
    await upgrade(engine, migrations)
    sessions = session_factory(engine)
    if seed is not None:
        await seed(sessions)
    nc = await connect_nats(settings, name=f"wir-{name}")
    bus = EventBus.from_client(nc, settings)
    await bus.ensure_stream()
    temporal = await connect_temporal(settings, lazy=True) if with_temporal else None
    return ServiceRuntime(
        name=name,
        settings=settings,
        engine=engine,
        sessions=sessions,
        nats=nc,
        bus=bus,
        temporal=temporal,
    )
