"""The NATS configuration WIR ships: the read-only ``subscriber`` user reads ``wir.>`` events
from the subscribers' mirror of the stream but can neither publish nor reach the dead-letter
stream or the services' consumers."""

from __future__ import annotations

import asyncio
import subprocess
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import nats
import pytest
import pytest_asyncio
from nats.aio.client import Client as NatsClient
from nats.js.api import ConsumerConfig, DeliverPolicy

from deploy.events.tail import Start, tail
from deploy.nats.users import MIRROR, provision_streams, write_server_config
from shared.bus import EventBus
from shared.contracts.envelope import CloudEvent, build_event
from shared.contracts.events.case import CaseReopened
from shared.settings import WirSettings
from tests.servers import binary, free_port, wait_for_port

pytestmark = pytest.mark.same_on_every_database  # not run again on PostgreSQL


@pytest.fixture
def rendered(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The configuration ``make up`` renders (deploy/nats/users.py) and its passwords."""
    return write_server_config(WirSettings(data_dir=tmp_path))


@pytest_asyncio.fixture(loop_scope="session")
async def server(tmp_path: Path, rendered: tuple[Path, dict[str, str]]) -> AsyncIterator[str]:
    port = free_port()
    argv = [binary("nats-server"), "-c", str(rendered[0]), "-a", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(
        [*argv, "-sd", str(tmp_path / "nats")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    await wait_for_port(port)
    url = f"nats://127.0.0.1:{port}"
    await provision_streams(WirSettings(data_dir=tmp_path, nats_url=url), rendered[1])
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def secret(rendered: tuple[Path, dict[str, str]]) -> str:
    return rendered[1]["subscriber"]


@pytest.fixture
def worker_password(rendered: tuple[Path, dict[str, str]]) -> str:
    return rendered[1]["worker"]


async def _worker(url: str, password: str) -> NatsClient:
    """The worker's user: it creates the streams and publishes the workflows' events."""
    return await nats.connect(url, user="worker", password=password, inbox_prefix="_INBOX_worker")


def _event() -> CloudEvent:
    data = CaseReopened(case_id=str(uuid.uuid4()), case_manager="anna", stage="x", seq=1)
    return build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC))


async def _subscriber(url: str, secret: str, errors: list[str]) -> NatsClient:
    async def on_error(exc: Exception) -> None:
        errors.append(str(exc))

    return await nats.connect(
        url,
        user="subscriber",
        password=secret,
        inbox_prefix="_INBOX_subscriber",
        error_cb=on_error,
        allow_reconnect=False,
    )


async def test_subscriber_reads_events_but_cannot_publish(
    server: str, secret: str, worker_password: str
) -> None:
    settings = WirSettings(nats_url=server)
    services = await _worker(server, worker_password)
    bus = EventBus.from_client(services, settings)
    await bus.ensure_stream()
    first, second = _event(), _event()
    await bus.publish(first)

    errors: list[str] = []
    nc = await _subscriber(server, secret, errors)
    js = nc.jetstream()
    sub = await js.subscribe("wir.>", stream=MIRROR, ordered_consumer=True)
    assert CloudEvent.model_validate_json((await sub.next_msg(timeout=5)).data).id == first.id
    await bus.publish(second)
    assert CloudEvent.model_validate_json((await sub.next_msg(timeout=5)).data).id == second.id
    later = await js.subscribe(
        "wir.case.reopened.*",
        stream=MIRROR,
        ordered_consumer=True,
        config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW),
    )

    forged = _event()
    with pytest.raises((nats.errors.Error, TimeoutError)):
        await js.publish(forged.nats_subject, forged.model_dump_json().encode(), timeout=1)
    await nc.publish(forged.nats_subject, b"{}")  # core NATS: refused as well
    await nc.flush()
    await asyncio.sleep(0.2)
    assert any("permissions violation for publish" in e.lower() for e in errors), errors
    stored = await bus.js.stream_info(settings.stream_name)
    assert stored.state.messages == 2  # nothing the subscriber sent was stored
    with pytest.raises(nats.errors.TimeoutError):
        await later.next_msg(timeout=0.5)

    for denied in (
        js.subscribe("deadletter.>", ordered_consumer=True),
        js.subscribe("deadletter.>", stream=settings.deadletter_stream_name, ordered_consumer=True),
        js.delete_stream(settings.stream_name),
        js.delete_stream(MIRROR),
        js.pull_subscribe("wir.>", durable="sneaky", stream=settings.stream_name),
        js.pull_subscribe("wir.>", durable="sneaky", stream=MIRROR),
    ):
        with pytest.raises((nats.errors.Error, TimeoutError)):
            await asyncio.wait_for(denied, timeout=1)
    await nc.close()
    await services.drain()


async def test_wrong_password_is_refused(server: str) -> None:
    with pytest.raises((nats.errors.Error, OSError)):
        await nats.connect(
            server,
            user="subscriber",
            password="guess",
            allow_reconnect=False,
            max_reconnect_attempts=0,
        )


async def test_wir_events_tail_works_as_the_subscriber(
    server: str, secret: str, worker_password: str
) -> None:
    services = await _worker(server, worker_password)
    bus = EventBus.from_client(services, WirSettings(nats_url=server))
    await bus.ensure_stream()
    event = _event()
    await bus.publish(event)
    lines: list[str] = []
    seen = await tail(
        url=server,
        event_type="wir.case.reopened",
        start=Start(from_start=True),
        emit=lines.append,
        idle_seconds=1,
        user="subscriber",
        password=secret,
    )
    assert seen == len(lines) >= 1
    assert event.id in lines[-1] and "nonconforming" not in lines[-1]
    await services.drain()
