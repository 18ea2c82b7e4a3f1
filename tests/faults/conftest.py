"""A WIR stack of its own for the fault tests: every part a process the tests can kill.

Temporal (persistent database file), nats-server (store directory) and the worker run as
subprocesses; the notifications and coordination services run under uvicorn as
subprocesses too, so they can be killed; the applications and cases services run in the
test's event loop over real HTTP. The tests share the stack and bring back whatever they stop.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from temporalio.client import Client

from deploy.processes import Child, ProcessGroup
from deploy.stack import nats_server, temporal_server, throwaway, wir_process
from shared.auth import Role
from shared.settings import WirSettings
from shared.temporal import connect_temporal
from tests import auth
from tests.servers import serve


@dataclass
class FaultStack:
    root: Path
    settings: WirSettings
    group: ProcessGroup
    temporal: Child
    nats: Child
    worker: Child
    notifications: Child
    coordination: Child
    temporal_client: Client
    applications_url: str = ""
    cases_url: str = ""

    @property
    def notifications_url(self) -> str:
        return f"http://127.0.0.1:{self.notifications.port}"

    @property
    def coordination_url(self) -> str:
        return f"http://127.0.0.1:{self.coordination.port}"

    def client(self, base_url: str, user: str, *roles: Role) -> httpx.AsyncClient:
        """Signed in as ``user``, with ``roles`` (default: the role tests.auth gives them)."""
        headers = auth.headers(user, *(roles or (auth.STAFF[user],)), settings=self.settings)
        return httpx.AsyncClient(base_url=base_url, headers=headers, timeout=90)

    async def restart(self, child: Child) -> None:
        await self.group.start_async(child)

    def check_alive(self) -> None:
        for child in (self.temporal, self.nats, self.worker, self.notifications, self.coordination):
            assert child.running, f"{child.name} is not running:\n{child.tail()}"


@pytest_asyncio.fixture(scope="package", loop_scope="session")
async def fault_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FaultStack]:
    root = tmp_path_factory.mktemp("faults")
    settings = throwaway(
        root,
        task_queue=f"wir-faults-{uuid.uuid4().hex[:8]}",
        # the key tests.auth signs with, so tests.grant_flows' reviewer and approver work here
        auth_key_file=auth.key_file(),
        # every test calls from 127.0.0.1: the anonymous-request limit is tested on its own
        unauthenticated_per_minute=1_000_000,
        # a killed consumer's unacknowledged message comes again after this long
        consumer_ack_wait_seconds=5,
    )
    group = ProcessGroup()
    temporal = temporal_server(settings, ui=False)
    nats = nats_server(settings)
    worker = wir_process("worker", settings)
    notifications = wir_process("notifications", settings, log_level="warning")
    coordination = wir_process("coordination", settings, log_level="warning")
    try:
        await group.start_async(temporal, nats)
        await group.start_async(worker, notifications, coordination)
        client = await connect_temporal(settings)
        fs = FaultStack(
            root, settings, group, temporal, nats, worker, notifications, coordination, client
        )
        from services.applications.app import create_app as applications_app
        from services.cases.app import create_app as cases_app

        async with serve(applications_app(settings)) as a_url, serve(cases_app(settings)) as c_url:
            fs.applications_url, fs.cases_url = a_url, c_url
            yield fs
    finally:
        group.stop(timeout=10)
