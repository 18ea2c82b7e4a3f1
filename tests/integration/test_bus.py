"""The JetStream bus against a real nats-server: de-duplication, durable consumers, nak/term."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import pytest
from nats.js.api import ConsumerConfig

from shared.bus import EventBus, PermanentError, connect_nats
from shared.contracts.envelope import CloudEvent, build_event
from shared.contracts.events.case import CaseReopened
from shared.settings import WirSettings
from tests.servers import eventually

pytestmark = pytest.mark.same_on_every_database  # not run again on PostgreSQL


def _event(case_id: str, seq: int = 1) -> CloudEvent:
    data = CaseReopened(case_id=case_id, case_manager="anna", stage="in_progress", seq=seq)
    return build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC))


async def test_a_republished_event_is_stored_once(settings: WirSettings) -> None:
    nc = await connect_nats(settings, name="test-bus")
    bus = EventBus.from_client(nc, settings)
    await bus.ensure_stream()
    event = _event(str(uuid.uuid4()))
    assert await bus.publish(event) is True
    assert await bus.publish(event) is False  # e.g. a retried activity
    sub = await bus.js.subscribe(event.nats_subject, ordered_consumer=True)
    first = await sub.next_msg(timeout=5)
    assert CloudEvent.model_validate_json(first.data).id == event.id
    try:
        await sub.next_msg(timeout=0.5)
        raise AssertionError("the event was stored twice")
    except TimeoutError:
        pass
    await sub.unsubscribe()
    await nc.drain()


async def test_consumer_retries_transient_errors_and_terminates_poison(
    settings: WirSettings,
) -> None:
    nc = await connect_nats(settings, name="test-consumer")
    bus = EventBus.from_client(nc, settings)
    await bus.ensure_stream()
    case_id = str(uuid.uuid4())
    flaky, poison, fine = _event(case_id, 1), _event(case_id, 2), _event(case_id, 3)
    attempts: dict[str, int] = {}
    handled: list[str] = []

    async def handler(event: CloudEvent) -> None:
        attempts[event.id] = attempts.get(event.id, 0) + 1
        if event.id == flaky.id and attempts[event.id] == 1:
            raise ConnectionError("database briefly away")
        if event.id == poison.id:
            raise PermanentError("cannot be handled")
        handled.append(event.id)

    stop = asyncio.Event()
    durable = f"test-{case_id[:8]}"
    task = asyncio.create_task(
        bus.consume(durable=durable, subject=f"wir.case.*.{case_id}", handler=handler, stop=stop)
    )
    for event in (flaky, poison, fine):
        await bus.publish(event)

    async def done() -> bool:
        return flaky.id in handled and fine.id in handled

    await eventually(done, timeout=20)
    await asyncio.sleep(0.5)
    stop.set()
    await task
    assert attempts[flaky.id] == 2  # redelivered once after the nak
    assert attempts[poison.id] == 1  # terminated, never redelivered
    assert handled.count(fine.id) == 1
    info = await bus.js.consumer_info(settings.stream_name, durable)
    config: ConsumerConfig = info.config
    assert config.max_deliver == settings.consumer_max_deliver
    assert info.num_ack_pending == 0
    await nc.drain()


async def test_durable_consumer_resumes_where_it_left_off(settings: WirSettings) -> None:
    nc = await connect_nats(settings, name="test-resume")
    bus = EventBus.from_client(nc, settings)
    await bus.ensure_stream()
    case_id = str(uuid.uuid4())
    subject = f"wir.case.*.{case_id}"
    durable = f"resume-{case_id[:8]}"
    seen: list[int] = []

    async def handler(event: CloudEvent) -> None:
        seen.append(int(event.data["seq"]))

    async def run_until(count: int) -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(
            bus.consume(durable=durable, subject=subject, handler=handler, stop=stop)
        )

        async def enough() -> bool:
            return len(seen) >= count

        await eventually(enough)
        stop.set()
        await task

    await bus.publish(_event(case_id, 1))
    await bus.publish(_event(case_id, 2))
    await run_until(2)
    await bus.publish(_event(case_id, 3))  # arrives while the "service" is down
    await run_until(3)
    assert seen == [1, 2, 3]
    await nc.drain()
