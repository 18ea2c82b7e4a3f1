"""Slow clients are timed out (shared/serving.py, shared/limits.py): headers that trickle in,
a connection that sends nothing, a body that trickles in, too many connections at once —
on a small app served by uvicorn as ``make up`` configures it, over real sockets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
import uvicorn
from fastapi import FastAPI, Request

from deploy.probes import free_port
from deploy.stack import wir_process
from shared import problems
from shared.limits import BodyLimitMiddleware
from shared.serving import HeaderDeadlineProtocol, server_config
from shared.settings import WirSettings

DEADLINE = 0.6
SETTINGS = WirSettings(
    host="127.0.0.1",
    header_read_seconds=DEADLINE,
    body_read_seconds=DEADLINE,
    keep_alive_seconds=5,
    max_connections=4,
)


def _app() -> FastAPI:
    app = FastAPI()
    problems.install(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=4096, read_seconds=SETTINGS.body_read_seconds)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    @app.get("/client")
    async def client(request: Request) -> str:
        return request.client.host if request.client else ""

    @app.get("/ok")
    async def ok() -> dict[str, bool]:
        return {"ok": True}

    return app


@pytest_asyncio.fixture
async def port() -> AsyncIterator[int]:
    port = free_port()
    server = uvicorn.Server(server_config(_app(), SETTINGS, port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises the start-up error
        await asyncio.sleep(0.02)
    yield port
    server.should_exit = True
    await task


async def _closed_within(reader: asyncio.StreamReader, seconds: float) -> bytes:
    """What the server sent before it closed the connection (fails if it stays open)."""
    return await asyncio.wait_for(reader.read(), timeout=seconds)


async def test_headers_that_trickle_in_are_cut_off(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    writer.write(b"GET /ok HTTP/1.1\r\nHost: probe\r\n")

    async def trickle() -> None:
        for i in range(50):
            await asyncio.sleep(DEADLINE / 4)
            writer.write(f"X-Line-{i}: still here\r\n".encode())

    trickling = asyncio.create_task(trickle())
    try:
        assert await _closed_within(reader, DEADLINE * 4) == b""
    finally:
        trickling.cancel()
        writer.close()
    assert time.monotonic() - started < DEADLINE * 3


async def test_a_connection_that_sends_nothing_is_closed(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert await _closed_within(reader, DEADLINE * 4) == b""
    writer.close()


async def test_a_kept_alive_connection_gets_the_deadline_for_each_request(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for _ in range(2):  # whole requests, each within the deadline, pass
        writer.write(b"GET /ok HTTP/1.1\r\nHost: probe\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=2)
        assert head.startswith(b"HTTP/1.1 200")
        assert await reader.readexactly(11) == b'{"ok":true}'
        await asyncio.sleep(DEADLINE * 1.5)  # idle between requests: keep-alive's matter
    writer.write(b"GET /ok HTTP/1.1\r\n")  # a third that never ends its headers
    assert await _closed_within(reader, DEADLINE * 4) == b""
    writer.close()


async def test_a_body_that_trickles_in_gets_408(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /echo HTTP/1.1\r\nHost: probe\r\nContent-Length: 100\r\n\r\n")

    async def trickle() -> None:
        # a byte every tenth of the deadline, stopping a little before it (still 90 bytes
        # short): bytes still coming when the server answers and closes would make its
        # kernel reset the connection, and the client could lose the 408 it had sent
        for _ in range(7):
            writer.write(b"x")
            await asyncio.sleep(DEADLINE / 10)

    trickling = asyncio.create_task(trickle())
    try:
        answer = await _closed_within(reader, DEADLINE * 4)
    finally:
        trickling.cancel()
        writer.close()
    assert answer.startswith(b"HTTP/1.1 408")
    assert b"application/problem+json" in answer and b"did not arrive within" in answer


async def test_connections_past_the_limit_get_503(port: int) -> None:
    held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(4)]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /ok HTTP/1.1\r\nHost: probe\r\n\r\n")
    head = await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout=2)
    assert head.startswith(b"HTTP/1.1 503")
    for _, other in (*held, (reader, writer)):
        other.close()


def test_make_up_serves_each_service_with_these_limits(tmp_path: Path) -> None:
    settings = SETTINGS.model_copy(update={"data_dir": tmp_path})
    child = wir_process("cases", settings)
    assert child.argv[1:4] == ["-m", "deploy.serve", "services.cases.app:create_app"]
    assert child.env is not None and child.env["WIR_HEADER_READ_SECONDS"] == str(DEADLINE)
    config = server_config("services.cases.app:create_app", settings, port=1, factory=True)
    assert config.timeout_keep_alive == 5 and config.limit_concurrency == 4
    assert isinstance(config.http, type) and issubclass(config.http, HeaderDeadlineProtocol)
    assert config.http.header_read_seconds == DEADLINE
    assert config.proxy_headers is False  # X-Forwarded-For from loopback is not believed
    behind = server_config(
        "m:f", settings.model_copy(update={"trusted_proxies": ["10.0.0.5"]}), port=1
    )
    assert behind.proxy_headers is True and behind.forwarded_allow_ips == ["10.0.0.5"]


async def test_a_forwarded_for_header_does_not_change_the_client(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /client HTTP/1.1\r\nHost: probe\r\nX-Forwarded-For: 198.51.100.7\r\n\r\n")
    await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=2)
    assert await asyncio.wait_for(reader.readexactly(11), timeout=2) == b'"127.0.0.1"'
    writer.close()
