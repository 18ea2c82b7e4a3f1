"""External subscribers: the documented nats-py example and ``wir events tail``, run for real
against a real nats-server, from now, from a point in time and from the beginning."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import pytest_asyncio

from deploy.nats.users import MIRROR, ensure_mirror
from shared.bus import EventBus, connect_nats
from shared.contracts.envelope import CloudEvent, build_event
from shared.contracts.events.application import ApplicationApproved
from shared.settings import WirSettings
from tests.servers import eventually

pytestmark = pytest.mark.same_on_every_database  # not run again on PostgreSQL

ROOT = Path(__file__).parents[2]


@pytest_asyncio.fixture(loop_scope="session")
async def bus(settings: WirSettings) -> AsyncIterator[EventBus]:
    nc = await connect_nats(settings, name="test-subscribers")
    event_bus = EventBus.from_client(nc, settings)
    await event_bus.ensure_stream()
    # the subscribers' mirror, here in the same account (make up's is in SUBSCRIBERS)
    await ensure_mirror(settings, nc.jetstream(), external=False)
    yield event_bus
    await nc.drain()


def approved(granted: str = "75000.00") -> CloudEvent:
    data = ApplicationApproved(
        application_id=str(uuid.uuid4()),
        organisation_id=str(uuid.uuid4()),
        priority_code="coordination",
        seq=3,
        stage="approved",
        requested_amount=Decimal("80000.00"),
        granted_amount=Decimal(granted),
        final_report_due_at=datetime(2028, 6, 30, tzinfo=UTC),
    )
    return build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC))


async def _start(*argv: str, env: dict[str, str] | None = None) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *argv,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _lines_until(proc: asyncio.subprocess.Process, marker: str) -> list[str]:
    assert proc.stdout is not None
    lines: list[str] = []
    async with asyncio.timeout(15):
        while not any(marker in line for line in lines):
            line = (await proc.stdout.readline()).decode()
            assert line, (await proc.stderr.read()).decode() if proc.stderr else "ended"
            lines.append(line)
    return lines


async def test_the_documented_example_prints_approvals(
    bus: EventBus, settings: WirSettings
) -> None:
    event = approved("12345.00")
    await bus.publish(event)
    proc = await _start("examples/subscribe_approved.py", env={"NATS_URL": settings.nats_url})
    try:
        lines = await _lines_until(proc, event.subject)
    finally:
        proc.terminate()
        await proc.wait()
    assert lines[-1].split()[1:] == [event.subject, "12345.00"]


async def _tail(settings: WirSettings, *args: str) -> list[dict[str, object]]:
    proc = await _start(
        "-m", "deploy.cli", "events", "tail", "--type", "wir.application.approved",
        "--url", settings.nats_url, "--idle", "1.5", *args,
    )  # fmt: skip
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    return [json.loads(line) for line in out.decode().splitlines()]


async def test_tail_from_the_start_and_since_a_time(bus: EventBus, settings: WirSettings) -> None:
    before = approved()
    await bus.publish(before)
    await asyncio.sleep(0.2)
    since = datetime.now(UTC)
    await asyncio.sleep(0.2)
    after = approved()
    await bus.publish(after)

    everything = [e["id"] for e in await _tail(settings, "--from-start")]
    assert before.id in everything and after.id in everything
    assert everything.index(before.id) < everything.index(after.id)

    recent = await _tail(settings, "--since", since.isoformat())
    assert [e["id"] for e in recent] == [after.id]
    assert recent[0]["type"] == "wir.application.approved"
    assert "nonconforming" not in recent[0]


async def test_tail_from_now_sees_only_new_events(bus: EventBus, settings: WirSettings) -> None:
    await bus.publish(approved())
    before = {c.name for c in await bus.js.consumers_info(MIRROR)}
    proc = await _start(
        "-m", "deploy.cli", "events", "tail", "--type", "wir.application.approved",
        "--url", settings.nats_url, "--count", "1",
    )  # fmt: skip

    async def subscribed() -> bool:  # the tail's consumer exists: it sees what comes next
        now = {c.name for c in await bus.js.consumers_info(MIRROR)}
        return bool(now - before)

    await eventually(subscribed, timeout=20)
    new = approved()
    await bus.publish(new)
    async with asyncio.timeout(15):
        out, err = await proc.communicate()
    assert [json.loads(line)["id"] for line in out.decode().splitlines()] == [new.id], err


def test_the_docs_show_the_example_as_it_is_run() -> None:
    example = (ROOT / "examples" / "subscribe_approved.py").read_text()
    assert len(example.splitlines()) <= 20
    assert example in (ROOT / "docs" / "events-subscribing.md").read_text()
