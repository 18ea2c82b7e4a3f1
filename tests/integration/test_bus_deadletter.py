"""Messages a consumer gives up on land in the dead-letter stream, with the reason."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import httpx
import pytest

from shared.bus import DeadLetter, EventBus, PermanentError, connect_nats
from shared.contracts.envelope import CloudEvent, build_event
from shared.contracts.events.case import CaseReopened
from shared.settings import WirSettings
from tests.servers import eventually

pytestmark = pytest.mark.same_on_every_database  # not run again on PostgreSQL


def _event(case_id: str, seq: int) -> CloudEvent:
    data = CaseReopened(case_id=case_id, case_manager="anna", stage="in_progress", seq=seq)
    return build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC))


async def test_exhausted_and_poison_messages_are_dead_lettered(settings: WirSettings) -> None:
    quick = settings.model_copy(
        update={"consumer_max_deliver": 3, "consumer_backoff_seconds": [0.1, 0.2]}
    )
    nc = await connect_nats(quick, name="test-deadletter")
    bus = EventBus.from_client(nc, quick)
    await bus.ensure_stream()
    case_id = str(uuid.uuid4())
    broken, poison, fine = _event(case_id, 1), _event(case_id, 2), _event(case_id, 3)
    attempts: dict[str, int] = {}

    async def handler(event: CloudEvent) -> None:
        attempts[event.id] = attempts.get(event.id, 0) + 1
        if event.id == broken.id:
            raise ConnectionError("mail server refuses connections")
        if event.id == poison.id:
            raise PermanentError("unknown offer")

    durable = f"dl-{case_id[:8]}"
    stop = asyncio.Event()
    task = asyncio.create_task(
        bus.consume(durable=durable, subject=f"wir.case.*.{case_id}", handler=handler, stop=stop)
    )
    for event in (broken, poison, fine):
        await bus.publish(event)
    await nc.publish(f"wir.case.reopened.{case_id}", b"not json")

    async def letters() -> list[DeadLetter] | None:
        found = await bus.dead_letters(consumer=durable)
        return found if len(found) == 3 else None

    dead = await eventually(letters, timeout=20)
    stop.set()
    await task
    assert attempts == {broken.id: 3, poison.id: 1, fine.id: 1}
    by_reason = {d.body: d for d in dead}
    exhausted = by_reason[broken.model_dump_json()]
    assert exhausted.deliveries == 3 and exhausted.consumer == durable
    assert "failed 3 deliveries" in exhausted.reason and "mail server" in exhausted.reason
    assert exhausted.subject == broken.nats_subject
    assert "permanent error: unknown offer" in by_reason[poison.model_dump_json()].reason
    assert "malformed CloudEvent" in by_reason["not json"].reason
    info = await bus.js.consumer_info(quick.stream_name, durable)
    assert info.num_ack_pending == 0 and info.num_pending == 0
    assert info.config.backoff == [30.0, 30.0]  # never shorter than ack_wait
    # The dead letters stay out of the event stream subscribers read.
    assert not await bus.dead_letters(consumer="someone-else")
    await nc.drain()


async def test_operators_see_dead_letters_over_http(
    notifications: httpx.AsyncClient, settings: WirSettings
) -> None:
    nc = await connect_nats(settings, name="test-deadletter-http")
    bus = EventBus.from_client(nc, settings)
    await bus.ensure_stream()
    # The notifications service's consumer reads wir.>: a malformed message is dead-lettered.
    subject = f"wir.application.submitted.{uuid.uuid4()}"
    await nc.publish(subject, b"{not a cloud event")

    async def listed() -> list[dict[str, object]] | None:
        response = await notifications.get("/dead-letters", params={"consumer": "notifications"})
        assert response.status_code == 200
        items: list[dict[str, object]] = response.json()
        return [i for i in items if i["subject"] == subject] or None

    [letter] = await eventually(listed)
    assert letter["consumer"] == "notifications" and letter["deliveries"] == 1
    assert "malformed CloudEvent" in str(letter["reason"])
    assert letter["body"] == "{not a cloud event"
    await nc.drain()
