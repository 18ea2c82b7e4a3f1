"""No NATS user can touch another's durable consumer, and subscribers' consumers are capped.

Against nats-server running the config ``make up`` renders: every user tries to create,
update (through each of JetStream's create subjects, old-style with the name in the payload
included), delete, fetch from and ack on every other process's durable; afterwards each
durable is exactly as its owner left it. The subscriber's consumers live in an account of
their own whose JetStream limit caps how many there may be.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
import pytest
import pytest_asyncio
from nats.aio.client import Client as NatsClient
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import BadRequestError
from pydantic import SecretStr

from deploy.nats.users import (
    MIRROR,
    SUBSCRIBER_MAX_CONSUMERS,
    provision_streams,
    write_server_config,
)
from shared.bus import EventBus, connect_nats, inbox_prefix
from shared.contracts.consumers import (
    APPLICATIONS_READ_MODEL,
    APPLICATIONS_READ_MODEL_SUBJECT,
    CASES_PARTICIPATIONS,
    CASES_PARTICIPATIONS_SUBJECT,
    CASES_READ_MODEL,
    CASES_READ_MODEL_SUBJECT,
    COORDINATION_READ_MODEL,
    COORDINATION_READ_MODEL_SUBJECT,
    NOTIFICATIONS,
    NOTIFICATIONS_SUBJECT,
)
from shared.contracts.envelope import CloudEvent, build_event
from shared.contracts.events.case import CaseReopened
from shared.contracts.events.coordination import WorkingGroupFormed
from shared.settings import WirSettings
from tests.integration.test_nats_users import application_event
from tests.servers import binary, eventually, free_port, wait_for_port

pytestmark = pytest.mark.same_on_every_database  # not run again on PostgreSQL

STREAM = "WIR"
#: Each process's durable, its owner and what it reads.
DURABLES = {
    APPLICATIONS_READ_MODEL: ("applications", APPLICATIONS_READ_MODEL_SUBJECT),
    CASES_READ_MODEL: ("cases", CASES_READ_MODEL_SUBJECT),
    CASES_PARTICIPATIONS: ("cases", CASES_PARTICIPATIONS_SUBJECT),
    COORDINATION_READ_MODEL: ("coordination", COORDINATION_READ_MODEL_SUBJECT),
    NOTIFICATIONS: ("notifications", NOTIFICATIONS_SUBJECT),
}
ATTACKERS = (
    "worker",
    "applications",
    "cases",
    "coordination",
    "notifications",
    "subscriber",
    "subscribers_admin",
)


@dataclass
class Server:
    url: str
    settings: WirSettings
    credentials: dict[str, str]

    def as_user(self, user: str) -> WirSettings:
        return self.settings.model_copy(
            update={"nats_user": user, "nats_password": SecretStr(self.credentials[user])}
        )

    async def connect(self, user: str) -> NatsClient:
        return await connect_nats(self.as_user(user), name=f"test-{user}")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    data_dir = tmp_path_factory.mktemp("wir-data")
    port = free_port()
    settings = WirSettings(data_dir=data_dir, nats_url=f"nats://127.0.0.1:{port}")
    config, credentials = write_server_config(settings)
    argv = [binary("nats-server"), "-c", str(config), "-a", "127.0.0.1", "-p", str(port)]
    with (data_dir / "nats.log").open("wb") as log:
        process = subprocess.Popen(
            [*argv, "-sd", str(data_dir / "nats")], stdout=log, stderr=subprocess.STDOUT
        )
        await wait_for_port(port)
        await provision_streams(settings, credentials)  # as the launcher does
        yield Server(settings.nats_url, settings, credentials)
        process.terminate()
        process.wait(timeout=10)


def _event(case_id: str | None = None) -> CloudEvent:
    data = CaseReopened(case_id=case_id or str(uuid.uuid4()), case_manager="anna", stage="x", seq=1)
    return build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC))


def _groups(count: int) -> list[CloudEvent]:
    return [
        build_event(
            event_id=str(uuid.uuid4()),
            data=WorkingGroupFormed(
                group_id=str(uuid.uuid4()), coordinator="clara", stage="active", seq=1
            ),
            time=datetime.now(UTC),
        )
        for _ in range(count)
    ]


def _hostile(name: str, keys: tuple[str, ...] = ("name",), filter_subject: str = "") -> bytes:
    """A request for a consumer config that would make the durable skip everything from
    now on (the probe's payload; ``keys`` say how the durable is named in it)."""
    config = {
        **dict.fromkeys(keys, name),
        "ack_policy": "explicit",
        "deliver_policy": "all",
        "filter_subject": filter_subject or "wir.nothing.>",
    }
    return json.dumps({"stream_name": STREAM, "config": config}).encode()


NAMINGS = (("name",), ("durable_name",), ("name", "durable_name"))


def _state(info: Any) -> tuple[object, ...]:
    c = info.config
    return (
        c.filter_subject,
        c.max_deliver,
        c.ack_wait,
        tuple(c.backoff or ()),
        info.num_pending,
        info.num_ack_pending,
        info.delivered.stream_seq,
        info.ack_floor.stream_seq,
    )


async def _answered(nc: NatsClient, subject: str, payload: bytes) -> bytes | None:
    """The reply's body, or None when nothing answers (a refused publish gets none)."""
    try:
        msg = await nc.request(subject, payload, timeout=1)
    except (nats.errors.TimeoutError, nats.errors.NoRespondersError):
        return None
    return msg.data


async def _attack(nc: NatsClient, victim: str, ack_subject: str) -> list[str]:
    """Every way to touch ``victim``; what was let through (empty: all refused)."""

    subjects = {
        "old-style create": f"$JS.API.CONSUMER.CREATE.{STREAM}",
        "named create": f"$JS.API.CONSUMER.CREATE.{STREAM}.{victim}",
        "named create with filter": f"$JS.API.CONSUMER.CREATE.{STREAM}.{victim}.wir.nothing.x",
        "durable create": f"$JS.API.CONSUMER.DURABLE.CREATE.{STREAM}.{victim}",
        # through the import the subscribers' account has for its mirror
        "create through the mirror's import": f"$JS.WIR.API.CONSUMER.CREATE.{STREAM}",
    }
    # the other durables' subjects (an owner's own among them) with the victim's name inside
    for other in DURABLES:
        if other != victim:
            subjects[f"{other}'s subject"] = f"$JS.API.CONSUMER.DURABLE.CREATE.{STREAM}.{other}"
    creates = {
        f"{label}, {'+'.join(keys)}": (subject, _hostile(victim, keys, filter_subject))
        for label, subject in subjects.items()
        for keys in NAMINGS
        for filter_subject in ("", "wir.nothing.x")
    }
    through: list[str] = []

    async def create(label: str, subject: str, payload: bytes) -> None:
        body = await _answered(nc, subject, payload)
        if body is not None and "error" not in json.loads(body):
            through.append(f"{label}: {body[:200]!r}")

    async def delete() -> None:
        body = await _answered(nc, f"$JS.API.CONSUMER.DELETE.{STREAM}.{victim}", b"")
        if body is not None and json.loads(body).get("success"):
            through.append("delete")

    async def fetch() -> None:
        subject = f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.{victim}"
        body = await _answered(nc, subject, json.dumps({"batch": 1, "no_wait": True}).encode())
        if body:  # a message: someone else's event taken from its durable
            through.append(f"fetch: {body[:100]!r}")

    await asyncio.gather(
        *(create(label, s, p) for label, (s, p) in creates.items()), delete(), fetch()
    )
    await nc.publish(ack_subject, b"+ACK")  # the owner's pending delivery, acked by another
    await nc.publish(f"$JS.ACK.{STREAM}.{victim}.1.1.1.0.0", b"+TERM")
    await nc.flush()
    return through


async def test_no_user_can_touch_another_users_durable(server: Server) -> None:
    owners = {user: await server.connect(user) for user, _ in DURABLES.values()}
    worker, admin = await server.connect("worker"), await server.connect("admin")
    await EventBus.from_client(worker, server.as_user("worker")).ensure_stream()
    ack_subjects: dict[str, str] = {}
    for durable, (user, subject) in DURABLES.items():
        bus = EventBus.from_client(owners[user], server.as_user(user))
        config = ConsumerConfig(
            durable_name=durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            max_deliver=bus.settings.consumer_max_deliver,
            ack_wait=bus.settings.consumer_ack_wait_seconds,
            backoff=bus._backoff(),
            filter_subject=subject,
        )
        await bus.js.add_consumer(STREAM, config)  # as EventBus.consume does
    events = EventBus.from_client(worker, server.as_user("worker"))
    for event in (application_event(), application_event(), _event(), _event(), *_groups(2)):
        await events.publish(event)
    for durable, (user, _) in DURABLES.items():
        sub = await owners[user].jetstream().pull_subscribe_bind(durable=durable, stream=STREAM)
        (pending,) = await sub.fetch(1, timeout=5)  # delivered, not acked yet
        assert pending.reply
        ack_subjects[durable] = pending.reply
        await sub.unsubscribe()
    js = admin.jetstream()
    before = {d: _state(await js.consumer_info(STREAM, d)) for d in DURABLES}

    let_through: dict[str, list[str]] = {}

    async def attack_all(attacker: str) -> None:  # each refusal waits out a timeout: at once
        nc = await server.connect(attacker)
        victims = [victim for victim, (owner, _) in DURABLES.items() if owner != attacker]
        found = await asyncio.gather(*(_attack(nc, v, ack_subjects[v]) for v in victims))
        for victim, through in zip(victims, found, strict=True):
            if through:
                let_through[f"{attacker} -> {victim}"] = through
        await nc.close()

    await asyncio.gather(*(attack_all(attacker) for attacker in ATTACKERS))
    await asyncio.sleep(0.2)
    after = {d: _state(await js.consumer_info(STREAM, d)) for d in DURABLES}
    assert let_through == {}
    assert after == before

    # and each owner still has its durable: it can fetch and ack as before
    for durable, (user, _) in DURABLES.items():
        sub = await owners[user].jetstream().pull_subscribe_bind(durable=durable, stream=STREAM)
        for msg in await sub.fetch(1, timeout=5):
            await msg.ack_sync()
        await sub.unsubscribe()
    for nc in (*owners.values(), worker, admin):
        await nc.close()


async def test_the_subscribers_consumers_are_capped_and_stay_in_their_account(
    server: Server,
) -> None:
    worker, admin = await server.connect("worker"), await server.connect("admin")
    await EventBus.from_client(worker, server.as_user("worker")).ensure_stream()
    subscriber = await nats.connect(
        server.url,
        user="subscriber",
        password=server.credentials["subscriber"],
        inbox_prefix=inbox_prefix("subscriber"),
    )
    js = subscriber.jetstream(timeout=2)
    subs = []
    with pytest.raises(BadRequestError, match="maximum consumers limit reached"):
        for _ in range(SUBSCRIBER_MAX_CONSUMERS + 1):
            subs.append(await js.subscribe("wir.>", stream=MIRROR, ordered_consumer=True))
    assert len(subs) == SUBSCRIBER_MAX_CONSUMERS
    # all of them are in the subscribers' account, none where the services' durables are
    mirror_admin = await server.connect("subscribers_admin")
    info = await mirror_admin.jetstream().stream_info(MIRROR)
    assert info.state.consumer_count == SUBSCRIBER_MAX_CONSUMERS
    # the services are not affected by the subscribers' limit
    applications = await server.connect("applications")
    await applications.jetstream().add_consumer(
        STREAM,
        ConsumerConfig(
            durable_name=APPLICATIONS_READ_MODEL,
            ack_policy=AckPolicy.EXPLICIT,
            filter_subject=APPLICATIONS_READ_MODEL_SUBJECT,
            max_deliver=WirSettings().consumer_max_deliver,
        ),
    )
    # the mirror follows the stream: the subscriber's consumers see new events
    event = _event()
    await EventBus.from_client(worker, server.as_user("worker")).publish(event)
    got = await subs[0].next_msg(timeout=5)
    while CloudEvent.model_validate_json(got.data).id != event.id:
        got = await subs[0].next_msg(timeout=5)
    for sub in subs:
        await sub.unsubscribe()
    await subscriber.close()

    async def freed() -> bool:  # ordered consumers go a few seconds after their client
        info = await mirror_admin.jetstream().stream_info(MIRROR)
        return info.state.consumer_count == 0

    await eventually(freed, timeout=20)
    for nc in (worker, admin, applications, mirror_admin):
        await nc.close()


def test_the_old_global_account_store_moves_to_the_wir_account(tmp_path: Path) -> None:
    store = tmp_path / "nats" / "jetstream"
    (store / "$G" / "streams" / "WIR").mkdir(parents=True)
    write_server_config(WirSettings(data_dir=tmp_path))
    assert (store / "WIR" / "streams" / "WIR").is_dir() and not (store / "$G").exists()
    write_server_config(WirSettings(data_dir=tmp_path))  # once only
    assert (store / "WIR" / "streams" / "WIR").is_dir()
