"""Each WIR process's NATS user, against nats-server running the config ``make up`` renders:
every process can do its job (streams, durable consumer, acks, dead letters, its events)
and nothing more."""

from __future__ import annotations

import asyncio
import stat
import subprocess
import uuid
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
import pytest
import pytest_asyncio
from nats.aio.client import Client as NatsClient
from pydantic import SecretStr

from deploy.nats.users import MIRROR, credentials_path, provision_streams, write_server_config
from shared.bus import EventBus, PermanentError, connect_nats
from shared.contracts.envelope import CloudEvent, EventData, build_event
from shared.contracts.events.application import ApplicationWithdrawn
from shared.contracts.events.audit import AuditCommandRecorded
from shared.contracts.events.case import CaseReopened
from shared.contracts.events.coordination import WorkingGroupFormed
from shared.contracts.events.notification import NotificationDeliveryFailed
from shared.settings import WirSettings
from tests.servers import binary, free_port, wait_for_port

pytestmark = pytest.mark.same_on_every_database  # not run again on PostgreSQL


@dataclass
class Server:
    url: str
    data_dir: Path
    credentials: dict[str, str]

    def settings(self, user: str) -> WirSettings:
        return WirSettings(
            nats_url=self.url,
            nats_user=user,
            nats_password=SecretStr(self.credentials[user]),
            data_dir=self.data_dir,
        )


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    data_dir = tmp_path_factory.mktemp("wir-data")
    config, credentials = write_server_config(WirSettings(data_dir=data_dir))
    port = free_port()
    argv = [binary("nats-server"), "-c", str(config), "-a", "127.0.0.1", "-p", str(port)]
    with (data_dir / "nats.log").open("wb") as log:  # permission violations are logged
        process = subprocess.Popen(
            [*argv, "-sd", str(data_dir / "nats")], stdout=log, stderr=subprocess.STDOUT
        )
        await wait_for_port(port)
        url = f"nats://127.0.0.1:{port}"
        await provision_streams(WirSettings(data_dir=data_dir, nats_url=url), credentials)
        yield Server(url, data_dir, credentials)
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Conn:
    """A connection as one user, with the permission errors the server sent it."""

    nc: NatsClient
    bus: EventBus
    # the same connection, giving up after 0.5 s: for what the server will not answer
    probe: EventBus
    errors: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        return [e for e in self.errors if "permissions violation" in e.lower()]

    async def refused(self, action: Awaitable[Any], *, fails: bool = True) -> None:
        """The server reports a permissions violation for ``action``, and ``action``
        fails (a JetStream request gets no answer, a publish no ack) unless ``fails`` is
        false (a core subscription is refused by the server alone)."""
        before = len(self.violations())
        if fails:
            with pytest.raises((nats.errors.Error, TimeoutError)):
                await asyncio.wait_for(action, timeout=2)
        else:
            await action
        await self.nc.flush()
        await asyncio.sleep(0.05)
        assert len(self.violations()) > before, self.errors

    async def close(self) -> None:
        await self.nc.close()


async def connect(server: Server, user: str) -> Conn:
    settings = server.settings(user)
    nc = await connect_nats(settings, name=f"test-{user}")
    conn = Conn(
        nc, EventBus.from_client(nc, settings), EventBus(nc.jetstream(timeout=0.5), settings)
    )

    async def on_error(exc: Exception) -> None:
        conn.errors.append(str(exc))

    nc._error_cb = on_error  # connect_nats sets none; collect the server's -ERR lines
    return conn


def _event(data: EventData) -> CloudEvent:
    return build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC))


def application_event() -> CloudEvent:
    ident = str(uuid.uuid4())
    return _event(
        ApplicationWithdrawn(
            application_id=ident,
            organisation_id="org",
            priority_code="case_management",
            stage="withdrawn",
            seq=1,
        )
    )


def case_event() -> CloudEvent:
    data = CaseReopened(case_id=str(uuid.uuid4()), case_manager="anna", stage="x", seq=1)
    return _event(data)


def coordination_event() -> CloudEvent:
    return _event(
        WorkingGroupFormed(group_id=str(uuid.uuid4()), coordinator="clara", stage="active", seq=1)
    )


def audit_event(service: str) -> CloudEvent:
    ident = str(uuid.uuid4())
    data = AuditCommandRecorded(
        audit_id=ident,
        service=service,
        roles=["admin"],
        action="POST /x",
        object_type=None,
        object_id=None,
        status=200,
        outcome="ok",
        at=datetime.now(UTC),
        stage="recorded",
        seq=1,
    )
    return _event(data)


def notification_event() -> CloudEvent:
    data = NotificationDeliveryFailed(
        delivery_id=str(uuid.uuid4()),
        source_event_id="e",
        source_event_type="wir.case.reopened",
        channel="email",
        recipient_id="r",
        attempts=3,
        error="SMTP 550",
        stage="failed",
        seq=1,
    )
    return _event(data)


async def consume_until(
    conn: Conn, *, durable: str, subject: str, wanted: set[str], poison: str | None = None
) -> set[str]:
    """Run the real durable consumer of ``conn`` until it has handled ``wanted``."""
    seen: set[str] = set()
    done, stop = asyncio.Event(), asyncio.Event()

    async def handler(event: CloudEvent) -> None:
        seen.add(event.id)
        if wanted <= seen:
            done.set()
        if event.id == poison:
            raise PermanentError("cannot be handled")

    task = asyncio.create_task(
        conn.bus.consume(durable=durable, subject=subject, handler=handler, stop=stop)
    )
    try:
        await asyncio.wait_for(done.wait(), timeout=10)
    finally:
        stop.set()
        await task
    await conn.nc.flush()  # the acks are on their way before anyone looks
    return seen


async def fetch_from(conn: Conn, durable: str) -> None:
    """Take messages from someone else's durable consumer."""
    sub = await conn.probe.js.pull_subscribe_bind(durable=durable, stream="WIR")
    try:
        await sub.fetch(1, timeout=0.5)
    finally:
        await sub.unsubscribe()


async def stored(admin: Conn, subject: str) -> int:
    state = await admin.bus.js.stream_info(admin.bus.stream, subjects_filter=subject)
    return sum((state.state.subjects or {}).values())


def test_credentials_are_made_once_and_private(server: Server) -> None:
    path = credentials_path(WirSettings(data_dir=server.data_dir))
    for file in (path, path.with_name("server.conf")):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert set(server.credentials) >= {
        "admin", "worker", "applications", "cases", "notifications", "coordination",
        "subscribers_admin", "subscriber",
    }  # fmt: skip
    assert len(set(server.credentials.values())) == len(server.credentials)
    again = write_server_config(WirSettings(data_dir=server.data_dir))[1]
    assert again == server.credentials
    assert all(p not in Path("deploy/nats/wir.conf").read_text() for p in again.values())


async def test_anonymous_and_wrong_passwords_are_refused(server: Server) -> None:
    for kwargs in ({}, {"user": "worker", "password": "not-the-password-at-all"}):
        with pytest.raises((nats.errors.Error, OSError)):
            await nats.connect(server.url, allow_reconnect=False, **kwargs)


async def test_worker_owns_the_streams_and_publishes_workflow_events(server: Server) -> None:
    worker, admin = await connect(server, "worker"), await connect(server, "admin")
    await worker.bus.ensure_stream()
    assert await worker.bus.publish(application_event()) is True
    assert await worker.bus.publish(case_event()) is True
    assert await worker.bus.publish(coordination_event()) is True
    # a change of retention is the worker's to make
    longer = worker.bus.settings.model_copy(update={"stream_max_age_days": 400})
    await EventBus(worker.bus.js, longer).ensure_stream()
    await EventBus(worker.bus.js, worker.bus.settings).ensure_stream()

    await worker.refused(worker.probe.publish(notification_event()))
    await worker.refused(worker.probe.publish(audit_event("worker")))
    await worker.refused(worker.probe.js.delete_stream(worker.probe.stream))
    await worker.refused(worker.probe.js.purge_stream(worker.probe.stream))
    await worker.refused(worker.probe.js.pull_subscribe("wir.>", durable="w", stream="WIR"))
    assert await stored(admin, "wir.notification.>") == 0
    await worker.close()
    await admin.close()


@pytest.mark.parametrize(
    ("user", "durable", "subject", "own_event"),
    [
        ("applications", "applications-read-model", "wir.application.>", application_event),
        ("cases", "cases-read-model", "wir.case.>", case_event),
        ("coordination", "coordination-read-model", "wir.coordination.>", coordination_event),
    ],
)
async def test_read_model_service_consumes_its_own_durable_only(
    server: Server, user: str, durable: str, subject: str, own_event: Any
) -> None:
    worker, service = await connect(server, "worker"), await connect(server, user)
    admin = await connect(server, "admin")
    await worker.bus.ensure_stream()
    await service.bus.ensure_stream()  # as configured already: only reads the info
    fine, poison = own_event(), own_event()
    for event in (fine, poison):
        await worker.bus.publish(event)
    await consume_until(
        service, durable=durable, subject=subject, wanted={fine.id, poison.id}, poison=poison.id
    )
    info = await admin.bus.js.consumer_info("WIR", durable)
    assert info.num_ack_pending == 0 and info.num_pending == 0  # acked and terminated
    letters = await admin.bus.dead_letters(consumer=durable)
    assert poison.model_dump_json() in {d.body for d in letters}
    assert await service.bus.publish(audit_event(user)) is True
    forger = "cases" if user == "applications" else "applications"
    await service.refused(service.probe.publish(audit_event(forger)))  # not another's audit

    await service.refused(service.probe.publish(own_event()))  # only workflows say what happened
    await service.refused(service.probe.publish(notification_event()))
    other = "cases-read-model" if user == "applications" else "applications-read-model"
    await service.refused(fetch_from(service, other))
    await service.refused(service.probe.js.pull_subscribe(subject, durable="mine", stream="WIR"))
    await service.refused(service.probe.js.delete_stream("WIR"))
    await service.refused(service.probe.js.delete_consumer("WIR", durable))
    await service.refused(service.probe.js.get_msg("WIR_DEADLETTER", 1))
    changed = service.bus.settings.model_copy(update={"stream_max_age_days": 1})
    await service.refused(EventBus(service.probe.js, changed).ensure_stream())
    await service.refused(service.nc.subscribe("_INBOX_worker.>"), fails=False)
    await service.refused(service.nc.subscribe("wir.>"), fails=False)
    for conn in (worker, service, admin):
        await conn.close()


async def test_notifications_service(server: Server) -> None:
    worker, service = await connect(server, "worker"), await connect(server, "notifications")
    admin = await connect(server, "admin")
    await worker.bus.ensure_stream()
    await service.bus.ensure_stream()
    first, second = case_event(), application_event()
    for event in (first, second):
        await worker.bus.publish(event)
    seen = await consume_until(
        service, durable="notifications", subject="wir.>", wanted={first.id, second.id}
    )
    assert {first.id, second.id} <= seen
    assert await service.bus.publish(notification_event()) is True
    assert await service.bus.publish(audit_event("notifications")) is True
    await service.bus.dead_letters()  # GET /dead-letters reads the dead-letter stream

    before = await stored(admin, "wir.application.>")
    await service.refused(service.probe.publish(application_event()))
    await service.refused(service.probe.publish(case_event()))
    await service.nc.publish("wir.application.withdrawn.x", b"{}")  # core NATS as well
    await service.nc.flush()
    await asyncio.sleep(0.1)
    assert await stored(admin, "wir.application.>") == before
    await service.refused(fetch_from(service, "cases-read-model"))
    await service.refused(service.probe.js.delete_stream("WIR_DEADLETTER"))
    for conn in (worker, service, admin):
        await conn.close()


async def test_subscriber_only_reads(server: Server) -> None:
    worker, subscriber = await connect(server, "worker"), await connect(server, "subscriber")
    await worker.bus.ensure_stream()
    event = case_event()
    await worker.bus.publish(event)
    sub = await subscriber.bus.js.subscribe(
        event.nats_subject, stream=MIRROR, ordered_consumer=True
    )
    # the mirror follows the stream asynchronously: give it time on a loaded machine
    assert CloudEvent.model_validate_json((await sub.next_msg(timeout=20)).data).id == event.id
    live = await subscriber.nc.subscribe("wir.>")  # core NATS: the live events as well
    await subscriber.nc.flush()  # the server has the interest before the event is sent
    # Core NATS is at most once: an event published the moment after a new subscription
    # was sometimes not forwarded across the account import (2 of 8 runs lost the first,
    # never the second); subscribers that need every event read the mirror. So: the live
    # events reach the subscriber, checked with a fresh event every 2 s.
    received: set[str] = set()
    sent: list[str] = []
    for _ in range(5):
        again = case_event()
        sent.append(again.id)
        await worker.bus.publish(again)
        try:
            received.add(CloudEvent.model_validate_json((await live.next_msg(timeout=2)).data).id)
            break
        except nats.errors.TimeoutError:
            continue
    assert received and received <= set(sent)
    await subscriber.refused(subscriber.probe.publish(case_event()))
    await subscriber.refused(subscriber.probe.publish(application_event()))
    await subscriber.refused(subscriber.probe.ensure_stream())
    await subscriber.refused(fetch_from(subscriber, "notifications"))
    await subscriber.refused(subscriber.probe.js.delete_stream(MIRROR))
    await subscriber.refused(subscriber.probe.js.purge_stream(MIRROR))
    await subscriber.refused(subscriber.nc.subscribe("mirror.deliver.>"), fails=False)
    for conn in (worker, subscriber):
        await conn.close()
