"""Session-wide real servers: nats-server, the Temporal dev server, a database, the worker,
and the four services over real HTTP. Tests that need none of these start none of them."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlalchemy.engine import make_url
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from shared.auth import Role
from shared.bus import EventBus, connect_nats
from shared.payloads.keys import data_converter
from shared.settings import WirSettings
from shared.temporal import SEARCH_ATTRIBUTES
from tests import auth
from tests.servers import NatsServer, binary, serve
from workflows.worker import build_worker

POSTGRES_URL = os.environ.get("WIR_TEST_DATABASE_URL")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def nats_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[NatsServer]:
    server = NatsServer(tmp_path_factory.mktemp("nats"))
    await server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def payload_keys_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's payload keys (made on first use): the test clients and every service
    and worker built from ``settings`` encrypt with them (shared/payloads/codec.py)."""
    return tmp_path_factory.mktemp("keys") / "payload-keys.json"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def temporal_env(payload_keys_file: Path) -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary("temporal"),
        data_converter=data_converter(WirSettings(payload_keys_file=payload_keys_file)),
        search_attributes=list(SEARCH_ATTRIBUTES),
        ui=False,
        dev_server_log_level="error",
    )
    yield env
    await env.shutdown()


async def _create_postgres_database(url: str) -> tuple[str, str]:
    """A fresh database on the server of ``url`` for this test session."""
    import asyncpg  # type: ignore[import-untyped]

    parsed = make_url(url)
    name = f"wir_test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
    )
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return parsed.set(database=name).render_as_string(hide_password=False), name


async def _drop_postgres_database(url: str, name: str) -> None:
    import asyncpg

    parsed = make_url(url)
    admin = await asyncpg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
    )
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """SQLite files by default (one per service); a fresh PostgreSQL database when
    ``WIR_TEST_DATABASE_URL`` names a server."""
    if POSTGRES_URL:
        url, name = await _create_postgres_database(POSTGRES_URL)
        yield url
        await _drop_postgres_database(POSTGRES_URL, name)
    else:
        folder: Path = tmp_path_factory.mktemp("db")
        yield f"sqlite+aiosqlite:///{folder}/{{service}}.db"


@pytest.fixture(scope="session")
def settings(
    nats_server: NatsServer,
    temporal_env: WorkflowEnvironment,
    database_url: str,
    payload_keys_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> WirSettings:
    return WirSettings(
        payload_keys_file=payload_keys_file,
        nats_url=nats_server.url,
        temporal_address=temporal_env.client.service_client.config.target_host,
        database_url=database_url,
        task_queue=f"wir-test-{uuid.uuid4().hex[:8]}",
        # one for every service instance of the session: attached files live under it, and
        # whichever instance's consumer erases a case must find that case's files
        data_dir=tmp_path_factory.mktemp("data"),
        auth_key_file=auth.key_file(),
        # every test calls from 127.0.0.1: the anonymous-request limit is tested on its own
        unauthenticated_per_minute=1_000_000,
    )


@pytest.fixture(scope="session")
def temporal_client(temporal_env: WorkflowEnvironment) -> Client:
    return temporal_env.client


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def worker(settings: WirSettings, temporal_client: Client) -> AsyncIterator[None]:
    nc = await connect_nats(settings, name="test-worker")
    bus = EventBus.from_client(nc, settings)
    await bus.ensure_stream()
    async with build_worker(temporal_client, bus, task_queue=settings.task_queue):
        yield
    await nc.drain()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def applications_url(settings: WirSettings, worker: None) -> AsyncIterator[str]:
    from services.applications.app import create_app

    async with serve(create_app(settings)) as url:
        yield url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def cases_url(settings: WirSettings, worker: None) -> AsyncIterator[str]:
    from services.cases.app import create_app

    async with serve(create_app(settings)) as url:
        yield url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def coordination_url(settings: WirSettings, worker: None) -> AsyncIterator[str]:
    from services.coordination.app import create_app

    async with serve(create_app(settings)) as url:
        yield url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def notifications_url(settings: WirSettings) -> AsyncIterator[str]:
    from services.notifications.app import create_app

    async with serve(create_app(settings)) as url:
        yield url


def _client(base_url: str, user: str, *roles: Role) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base_url, headers=auth.headers(user, *roles), timeout=30)


@pytest_asyncio.fixture(loop_scope="session")
async def applications(applications_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(applications_url, "petra.officer", Role.programme_officer) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def cases(cases_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(cases_url, "anna.cm", Role.case_manager) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def notifications(notifications_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(notifications_url, "olaf.operator", Role.operator) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def coordination(coordination_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(coordination_url, "clara.coord", Role.coordinator) as client:
        yield client
