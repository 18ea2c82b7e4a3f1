"""The audit middleware on a small app with a real SQLite database: a command that fails
with an unforeseen error is recorded as ``failed``; rows NATS could not take are published
later by the relay, once each. The bus is a fake here (the real one: test_audit_log.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import event, select, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shared import problems
from shared.audit import AuditMiddleware
from shared.audit_relay import publish_pending, relay_audit_events
from shared.audit_table import AuditRuntime, audit_table
from shared.audit_unauthenticated import UnauthenticatedTally, write_unauthenticated_rows
from shared.contracts.envelope import CloudEvent
from shared.db import create_engine, session_factory
from shared.deps import SessionDep
from tests.servers import eventually


class Bus:
    def __init__(self) -> None:
        self.up = False
        self.published: list[CloudEvent] = []

    async def publish(self, event: CloudEvent) -> bool:
        if not self.up:
            raise ConnectionError("nats is away")
        self.published.append(event)
        return True


@dataclass
class ProbeRuntime:
    """What the middleware and the relay use of a service's runtime (shared.audit.
    AuditRuntime), plus the engine the tests look into."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    name: str = "probe"
    bus: Bus = field(default_factory=Bus)
    audit_wake: asyncio.Event = field(default_factory=asyncio.Event)


async def _runtime(engine: AsyncEngine) -> ProbeRuntime:
    async with engine.begin() as conn:
        await conn.run_sync(audit_table("probe").create)
    return ProbeRuntime(engine=engine, sessions=session_factory(engine))


@pytest_asyncio.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[ProbeRuntime]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/probe.db")
    yield await _runtime(engine)
    await engine.dispose()


def _app(runtime: AuditRuntime) -> FastAPI:
    app = FastAPI()
    problems.install(app)
    app.add_middleware(AuditMiddleware, service="probe")
    app.state.runtime = runtime

    @app.post("/things/{thing_id}/break")
    async def break_thing(thing_id: str) -> None:
        raise ValueError(f"unforeseen trouble with {thing_id}")

    @app.post("/things/{thing_id}/polish")
    async def polish_thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @app.get("/things/{thing_id}")
    async def read_thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @app.post("/things", status_code=201)
    async def make_thing() -> dict[str, str]:
        return {"id": "new-1", "name": "Ding"}

    return app


async def test_failed_and_ok_commands_are_recorded_and_published_later(
    runtime: ProbeRuntime,
) -> None:
    transport = httpx.ASGITransport(app=_app(runtime), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        broken = await client.post("/things/t1/break")
        polished = await client.post("/things/t2/polish")
        read = await client.get("/things/t3")
    assert broken.status_code == 500 and "unforeseen" not in broken.text
    assert polished.status_code == 200 and read.status_code == 200

    table = audit_table("probe")
    async with runtime.sessions() as session:
        rows = (await session.execute(select(table).order_by(table.c.at))).all()
    assert [(r.action, r.object_id, r.status, r.outcome, r.published) for r in rows] == [
        ("break_thing", "t1", 500, "failed", False),
        ("polish_thing", "t2", 200, "ok", False),
    ]  # a plain read of no personal data is not a command: not recorded

    runtime.bus.up = True
    assert await publish_pending(runtime) == 2
    assert await publish_pending(runtime) == 0
    events = runtime.bus.published
    assert [e.data["outcome"] for e in events] == ["failed", "ok"]
    assert {e.id for e in events} == {r.id for r in rows}
    assert events[0].subject == f"probe.{rows[0].id}"


def test_the_object_of_a_route() -> None:
    from shared.audit import _object_of

    assert _object_of("/cases/{case_id}/referrals/{referral_id}/response", {
        "case_id": "c1", "referral_id": "r1"
    }) == ("referral", "r1")  # fmt: skip
    assert _object_of(
        "/recipients/{kind}/{addressee}", {"kind": "organisation", "addressee": "o1"}
    ) == ("recipient", "organisation/o1")
    assert _object_of("/priorities/{code}/rule", {"code": "coordination"}) == (
        "priority",
        "coordination",
    )
    assert _object_of("/rounds", {}) == ("round", None)


async def test_commands_in_flight_beyond_the_pool_size_are_all_recorded(tmp_path: Path) -> None:
    """Each request's session is closed before the answer goes out, so the audit row's own
    session finds a free connection even when more commands are in flight than the pool
    holds. (With the session open until after the answer, each request held one connection
    while asking for a second: the rows were lost after the pool's timeout.)"""
    engine = create_async_engine(
        f"sqlite+aiosqlite:///{tmp_path}/pool.db", pool_size=2, max_overflow=0, pool_timeout=2
    )
    runtime = await _runtime(engine)
    app = _app(runtime)

    @app.post("/things/{thing_id}/count")
    async def count_thing(thing_id: str, session: SessionDep) -> dict[str, int]:
        # reads and leaves its transaction open, as a route that only reads does
        value = (await session.execute(text("SELECT count(*) FROM probe_audit_log"))).scalar()
        await asyncio.sleep(0.05)  # all requests hold their sessions at the same time
        return {"rows": int(value or 0)}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        answers = await asyncio.gather(
            *(client.post(f"/things/t{i}/count") for i in range(6)), return_exceptions=True
        )
    assert all(isinstance(a, httpx.Response) and a.status_code == 200 for a in answers), answers
    async with runtime.sessions() as session:
        ids = (await session.execute(select(audit_table("probe").c.object_id))).scalars().all()
    await engine.dispose()
    assert sorted(ids) == [f"t{i}" for i in range(6)]


async def test_the_relay_publishes_a_new_command_at_once_and_retries_what_nats_refused(
    runtime: ProbeRuntime,
) -> None:
    """A stored command row wakes the relay (no waiting for its period); rows NATS refused
    go out on a later round, each once."""

    def published(count: int) -> Callable[[], Awaitable[bool]]:
        async def probe() -> bool:
            return len(runtime.bus.published) >= count

        return probe

    runtime.bus.up = True
    stop = asyncio.Event()
    relay = asyncio.create_task(relay_audit_events(runtime, stop, every=2.0))
    transport = httpx.ASGITransport(app=_app(runtime))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
            await asyncio.sleep(0.1)  # the relay's first (empty) round is over
            await client.post("/things/t1/polish")
            await eventually(published(1), timeout=1.0, interval=0.01)  # before `every`
            runtime.bus.up = False
            await client.post("/things/t2/polish")
            await asyncio.sleep(0.1)
            assert len(runtime.bus.published) == 1  # refused, kept for later
            runtime.bus.up = True
            await eventually(published(2), timeout=5)  # the next periodic round
    finally:
        stop.set()
        await relay
    assert [e.data["object_id"] for e in runtime.bus.published] == ["t1", "t2"]
    table = audit_table("probe")
    async with runtime.sessions() as session:
        flags = (await session.execute(select(table.c.published))).scalars().all()
    assert flags == [True, True]


async def test_concurrent_rows_are_committed_in_groups_and_none_is_lost(
    runtime: ProbeRuntime,
) -> None:
    commits: list[int] = []
    event.listen(runtime.engine.sync_engine, "commit", lambda _conn: commits.append(1))
    transport = httpx.ASGITransport(app=_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        answers = await asyncio.gather(*(client.post(f"/things/t{i}/polish") for i in range(20)))
    assert {a.status_code for a in answers} == {200}
    table = audit_table("probe")
    async with runtime.sessions() as session:
        ids = (await session.execute(select(table.c.object_id))).scalars().all()
    assert sorted(ids) == sorted(f"t{i}" for i in range(20))
    assert len(commits) < 20, commits  # fewer transactions than rows


async def test_a_creation_is_recorded_with_the_object_it_made(runtime: ProbeRuntime) -> None:
    transport = httpx.ASGITransport(app=_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        made = await client.post("/things")
    assert made.status_code == 201 and made.json() == {"id": "new-1", "name": "Ding"}
    table = audit_table("probe")
    async with runtime.sessions() as session:
        row = (await session.execute(select(table))).one()
    assert (row.action, row.object_type, row.object_id) == ("make_thing", "thing", "new-1")


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 1, 10, 0, 5, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


async def test_refused_unauthenticated_requests_are_counted_per_address_and_minute(
    runtime: ProbeRuntime,
) -> None:
    """A flood of requests without a token writes no row each and publishes nothing: one
    ``unauthenticated`` row per address and minute says how many there were."""
    clock = Clock()
    app = FastAPI()
    problems.install(app)
    app.add_middleware(AuditMiddleware, service="probe", tally=UnauthenticatedTally(clock=clock))
    app.state.runtime = runtime

    @app.post("/things/{thing_id}/withdraw")
    async def withdraw(thing_id: str) -> None:
        raise problems.ProblemError(401, "Authentication required", "Send an access token.")

    table = audit_table("probe")

    async def rows() -> list[Any]:
        async with runtime.sessions() as session:
            return list((await session.execute(select(table).order_by(table.c.at))).all())

    async def flood(address: str, count: int) -> None:
        transport = httpx.ASGITransport(app=app, client=(address, 4711))
        async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
            for i in range(count):
                assert (await client.post(f"/things/chosen-{i}/withdraw")).status_code == 401

    await flood("203.0.113.9", 30)
    await flood("2001:db8:1:2::7", 5)
    await flood("2001:db8:1:2::8", 5)  # the same /64
    assert await rows() == []  # the minute is not over yet
    clock.now += dt.timedelta(minutes=1)
    await flood("203.0.113.9", 1)  # the next minute's first request writes the last one's
    found = [(r.kind, r.object_id, r.route, r.status, r.published) for r in await rows()]
    assert sorted(found) == [
        ("unauthenticated", "2001:db8:1:2::/64", "10 requests", 401, True),
        ("unauthenticated", "203.0.113.9", "30 requests", 401, True),
    ]
    assert all(r.at == dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC) for r in await rows())
    assert not any("chosen" in str(r.object_id) for r in await rows())
    assert await publish_pending(runtime) == 0  # nothing for the stream


async def test_counts_of_many_addresses_stay_bounded() -> None:
    clock = Clock()
    tally = UnauthenticatedTally(max_sources=3, clock=clock)
    for i in range(100):
        tally.count(f"198.51.100.{i}", 401)
    clock.now += dt.timedelta(minutes=1)
    taken = tally.take()
    assert len(taken) == 4 and tally.take(everything=True) == []
    assert {r["object_id"]: r["route"] for r in taken}["other"] == "97 requests"


async def test_counts_survive_a_write_that_fails(tmp_path: Path) -> None:
    """The database refuses the count rows (here: no table yet): the counts go back into
    the tally, and the next write stores them."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/later.db")
    try:
        runtime = ProbeRuntime(engine=engine, sessions=session_factory(engine))
        clock = Clock()
        tally = UnauthenticatedTally(clock=clock)
        for _ in range(3):
            tally.count("203.0.113.9", 401)
        clock.now += dt.timedelta(minutes=1)
        with pytest.raises(Exception, match="no such table"):
            await write_unauthenticated_rows(runtime, tally)
        async with engine.begin() as conn:
            await conn.run_sync(audit_table("probe").create)
        assert await write_unauthenticated_rows(runtime, tally) == 1
        async with runtime.sessions() as session:
            stored = (await session.execute(select(audit_table("probe")))).all()
        assert [(r.object_id, r.route, r.status) for r in stored] == [
            ("203.0.113.9", "3 requests", 401)
        ]
    finally:
        await engine.dispose()
