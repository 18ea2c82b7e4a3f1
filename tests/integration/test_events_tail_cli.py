"""``wir events tail`` finds NATS where ``make up`` runs it (``WIR_NATS_PORT``), says in one
line when NATS cannot be reached, and honours ``--idle`` while NATS is gone; against a
real nats-server of its own that the tests stop."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from shared.bus import EventBus, connect_nats
from shared.contracts.envelope import build_event
from shared.contracts.events.case import CaseAssessed
from shared.settings import WirSettings
from tests.servers import NatsServer, free_port

pytestmark = pytest.mark.same_on_every_database  # not run again on PostgreSQL

ROOT = Path(__file__).parents[2]


async def _ended(proc: asyncio.subprocess.Process, within: float) -> tuple[bytes, bytes]:
    """Its output once it ends by itself within ``within`` seconds (else it is killed)."""
    try:
        async with asyncio.timeout(within):
            return await proc.communicate()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


@pytest_asyncio.fixture(loop_scope="session")
async def nats(tmp_path: Path) -> AsyncIterator[NatsServer]:
    server = NatsServer(tmp_path / "nats")
    await server.start()
    settings = WirSettings(nats_url=server.url)
    nc = await connect_nats(settings, name="test-tail-cli")
    await EventBus.from_client(nc, settings).ensure_stream()
    await nc.drain()
    yield server
    server.stop()


async def _tail(tmp_path: Path, *args: str, port: int) -> asyncio.subprocess.Process:
    """The command as a user runs it after ``make up`` with another NATS port: no --url."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIR_")}
    env |= {"WIR_NATS_PORT": str(port), "WIR_DATA_DIR": str(tmp_path / "data")}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "deploy.cli", "events", "tail", *args,
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def test_tail_reads_from_the_port_in_wir_nats_port(nats: NatsServer, tmp_path: Path) -> None:
    nc = await connect_nats(WirSettings(nats_url=nats.url), name="test-tail-publisher")
    bus = EventBus.from_client(nc, WirSettings(nats_url=nats.url))
    data = CaseAssessed(
        case_id=str(uuid.uuid4()), case_manager="anna.cm", seq=2, stage="in_progress", need_count=1
    )
    event = build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC))
    await bus.publish(event)
    await nc.drain()

    proc = await _tail(tmp_path, "--from-start", "--idle", "1.5", port=nats.port)
    out, err = await _ended(proc, within=20)
    assert proc.returncode == 0, err.decode()
    assert [json.loads(line)["id"] for line in out.decode().splitlines()] == [event.id]


async def test_tail_fails_with_one_clear_line_when_nats_is_not_there(tmp_path: Path) -> None:
    port = free_port()  # nothing listens here
    proc = await _tail(tmp_path, "--idle", "1", port=port)
    out, err = await _ended(proc, within=20)
    message = err.decode()
    assert proc.returncode == 1
    assert f"cannot reach NATS at nats://127.0.0.1:{port}" in message
    assert "Traceback" not in message and len(message.strip().splitlines()) == 1
    assert out == b""


async def _publish_one(nats: NatsServer) -> None:
    nc = await connect_nats(WirSettings(nats_url=nats.url), name="test-tail-publisher")
    bus = EventBus.from_client(nc, WirSettings(nats_url=nats.url))
    data = CaseAssessed(
        case_id=str(uuid.uuid4()), case_manager="anna.cm", seq=2, stage="in_progress", need_count=1
    )
    await bus.publish(build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC)))
    await nc.drain()


async def test_tail_honours_idle_after_nats_went_away(nats: NatsServer, tmp_path: Path) -> None:
    await _publish_one(nats)
    proc = await _tail(tmp_path, "--from-start", "--idle", "2", port=nats.port)
    assert proc.stdout is not None
    async with asyncio.timeout(30):  # its first line: connected and reading, however slow
        assert await proc.stdout.readline()
    nats.stop()
    _, err = await _ended(proc, within=15)
    # 0: --idle ended it; giving up on NATS (about 5 s of reconnect attempts) would be 1
    assert proc.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()


@pytest.mark.parametrize("after", [1.0, 3.0])  # while it sets up, or while it reads
async def test_tail_gives_up_soon_after_losing_nats(
    nats: NatsServer, tmp_path: Path, after: float
) -> None:
    proc = await _tail(tmp_path, port=nats.port)
    await asyncio.sleep(after)
    nats.stop()
    _, err = await _ended(proc, within=20)
    assert proc.returncode == 1
    assert f"cannot reach NATS at nats://127.0.0.1:{nats.port}" in err.decode()
    assert "Traceback" not in err.decode()
