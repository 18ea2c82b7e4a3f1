"""One replicated WIR for the scale tests, shared by the folder: a Temporal dev server, a
3-node NATS JetStream cluster (streams R3, WIR's users on every node), two replicas each of
the applications, cases and notifications services behind their round-robin proxies, two
workers, all subprocesses as ``python -m deploy.run --replicas 2 --nats-cluster 3`` starts
them (deploy/replicated.py), on a fresh PostgreSQL database; beside them a real SMTP server
and a webhook receiver in the test process. The tests that kill things run last.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from aiosmtpd.controller import Controller

from deploy.processes import Child, ProcessGroup
from deploy.replicated import ReplicatedStack, plan, provision
from deploy.stack import service_port, throwaway
from shared.settings import WirSettings
from tests import auth
from tests.integration.test_notifications_delivery import Endpoint, Mailbox
from tests.scale.postgres import fresh_database, server_url
from tests.servers import free_port, serve

SERVICES = ("applications", "cases", "notifications")
REPLICAS = 2


@dataclass
class Scale:
    root: Path
    stack: ReplicatedStack
    group: ProcessGroup
    mailbox: Mailbox
    hooks: Endpoint
    hooks_url: str
    database_url: str

    @property
    def settings(self) -> WirSettings:
        return self.stack.settings

    def url(self, service: str) -> str:
        """The service's usual address: its proxy."""
        return f"http://127.0.0.1:{service_port(self.settings, service)}"

    @property
    def web_url(self) -> str:
        """The web front end's usual address: the proxy in front of its copies."""
        return f"http://127.0.0.1:{self.settings.web_port}"

    def replica_urls(self, service: str) -> list[str]:
        return [f"http://127.0.0.1:{c.port}" for c in self.stack.replicas[service]]

    def client(self, base_url: str, user: str) -> httpx.AsyncClient:
        headers = auth.headers(user, auth.STAFF[user], settings=self.settings)
        return httpx.AsyncClient(base_url=base_url, headers=headers, timeout=90)

    @property
    def admin_nats_urls(self) -> list[str]:
        """Every node, as the admin user (reads whatever the streams hold)."""
        password = self.stack.credentials["admin"]
        assert self.stack.cluster is not None
        ports = self.stack.cluster.client_ports
        return [f"nats://admin:{password}@127.0.0.1:{port}" for port in ports]

    def served(self, child: Child) -> int:
        """Requests a replica answered, from its access log (JSON lines, shared/logs.py)."""
        count = 0
        for line in child.log_path.read_text().splitlines():
            with contextlib.suppress(ValueError):
                count += json.loads(line).get("logger") == "uvicorn.access"
        return count

    async def restart(self, child: Child) -> None:
        await self.group.start_async(child)


@pytest_asyncio.fixture(scope="package", loop_scope="session")
async def scale(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Scale]:
    url = server_url()  # skips the folder without PostgreSQL
    root = tmp_path_factory.mktemp("scale")
    mailbox, hooks = Mailbox(), Endpoint()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    async with fresh_database(url) as database_url, serve(hooks.app()) as hooks_url:
        settings = throwaway(
            root,
            database_url=database_url,
            task_queue=f"wir-scale-{uuid.uuid4().hex[:8]}",
            auth_key_file=auth.key_file(),
            unauthenticated_per_minute=1_000_000,
            # a frozen or killed replica's unacknowledged message comes again after this long
            consumer_ack_wait_seconds=5,
        )
        notifications_env = {
            "WIR_SMTP_HOST": "127.0.0.1",
            "WIR_SMTP_PORT": str(smtp.port),
            "WIR_WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
            "WIR_NOTIFICATION_RETRY_INITIAL_SECONDS": "1",
        }
        stack = plan(
            settings,
            replicas=REPLICAS,
            nats_nodes=3,
            services=SERVICES,
            free_ports=True,
            ui=False,
            with_web=True,
            with_codec=False,
            env={"notifications": notifications_env},
        )
        group = ProcessGroup()
        try:
            servers, *rest = stack.stages()
            await group.start_async(*servers)
            await provision(stack)
            for stage in rest:
                await group.start_async(*stage)
            yield Scale(root, stack, group, mailbox, hooks, hooks_url, database_url)
        finally:
            group.stop(timeout=10)
            smtp.stop()
