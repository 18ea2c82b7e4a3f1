"""A 3-node JetStream cluster on loopback, stream with 3 replicas: the stream leader's node
is SIGKILLed while events flow. Nothing is lost; publisher and consumer carry on."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest_asyncio

from deploy.probes import free_port, listens
from deploy.processes import Child, ProcessGroup, find_binary
from shared.bus import EventBus, connect_nats
from shared.contracts.envelope import CloudEvent, build_event
from shared.contracts.events.case import CaseReopened
from shared.settings import WirSettings
from tests.faults.flows import stored_events
from tests.servers import eventually

EVENTS = 300


def _node_config(folder: Path, name: str, port: int, route: int, routes: list[int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / f"{name}.conf"
    urls = ", ".join(f"nats-route://127.0.0.1:{r}" for r in routes)
    config.write_text(
        f"server_name: {name}\n"
        f"listen: 127.0.0.1:{port}\n"
        f'jetstream {{ store_dir: "{folder / name}" }}\n'
        f"cluster {{ name: wir-faults, listen: 127.0.0.1:{route}, routes: [{urls}] }}\n"
    )
    return config


@pytest_asyncio.fixture(loop_scope="session")
async def cluster(tmp_path: Path) -> AsyncIterator[dict[str, Child]]:
    ports = [free_port() for _ in range(3)]
    routes = [free_port() for _ in range(3)]
    nodes: dict[str, Child] = {}
    for index in range(3):
        name = f"n{index + 1}"
        config = _node_config(tmp_path, name, ports[index], routes[index], routes)
        nodes[name] = Child(
            name,
            [find_binary("nats-server"), "-c", config],
            log_path=tmp_path / "logs" / f"{name}.log",
            ready=listens("127.0.0.1", ports[index]),
            port=ports[index],
        )
    group = ProcessGroup()
    try:
        await group.start_async(*nodes.values())
        yield nodes
    finally:
        group.stop(timeout=5)


def _event(case_id: str, seq: int) -> CloudEvent:
    data = CaseReopened(case_id=case_id, case_manager="anna", stage="in_progress", seq=seq)
    return build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC))


async def _ready(bus: EventBus) -> None:
    """The cluster needs a moment to elect its JetStream meta leader."""

    async def created() -> bool:
        try:
            await bus.ensure_stream()
        except Exception:
            return False
        return True

    await eventually(created, timeout=30, interval=0.5)


async def test_stream_leader_killed_while_events_flow(cluster: dict[str, Child]) -> None:
    urls = ",".join(f"nats://127.0.0.1:{node.port}" for node in cluster.values())
    settings = WirSettings(nats_url=urls, stream_replicas=3, consumer_ack_wait_seconds=5)
    publisher_nc = await connect_nats(settings, name="cluster-publisher")
    consumer_nc = await connect_nats(settings, name="cluster-consumer")
    publisher = EventBus.from_client(publisher_nc, settings)
    consumer = EventBus.from_client(consumer_nc, settings)
    await _ready(publisher)
    info = await publisher.js.stream_info(settings.stream_name)
    assert info.config.num_replicas == 3

    received: Counter[str] = Counter()

    async def handle(event: CloudEvent) -> None:
        received[event.id] += 1

    stop = asyncio.Event()
    consuming = asyncio.create_task(
        consumer.consume(durable="cluster-reader", subject="wir.>", handler=handle, stop=stop)
    )
    case_id = str(uuid.uuid4())
    published: list[str] = []
    retried = 0

    async def publish_all() -> None:
        nonlocal retried
        for seq in range(1, EVENTS + 1):
            event = _event(case_id, seq)
            while True:  # as the publishing activity does: same event id, again
                try:
                    await publisher.publish(event)
                    break
                except Exception:
                    retried += 1
                    await asyncio.sleep(0.2)
            published.append(event.id)
            await asyncio.sleep(0.01)

    publishing = asyncio.create_task(publish_all())
    await eventually(lambda: _at_least(published, EVENTS // 3), timeout=30)
    placement = (await publisher.js.stream_info(settings.stream_name)).cluster
    assert placement is not None and placement.leader is not None
    leader = placement.leader
    cluster[leader].kill()
    await asyncio.wait_for(publishing, timeout=45)
    assert len(published) == EVENTS

    async def all_received() -> bool:
        return set(published) <= set(received)

    await eventually(all_received, timeout=30)
    stop.set()
    await asyncio.wait_for(consuming, timeout=10)
    survivor = next(n for name, n in cluster.items() if name != leader)
    stored = [e.id for e in await stored_events(f"nats://127.0.0.1:{survivor.port}")]
    assert Counter(stored) == Counter(published)  # each event stored once, none lost
    for nc in (publisher_nc, consumer_nc):
        with contextlib.suppress(Exception):
            await nc.drain()


async def _at_least(items: list[str], count: int) -> bool:
    return len(items) >= count
