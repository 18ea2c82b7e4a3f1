"""The image's commands, run as plain processes against a throwaway stack until each serves.

The commands come from deploy/compose/compose.yaml (and must equal the Kubernetes
Deployments' and Job's), each run through the image's entrypoint with its NATS user's
password read from a secret file (``WIR_NATS_PASSWORD__FILE``), as in a container. NATS runs
with the rendered accounts file (deploy/compose/nats/wir-accounts.conf) and passwords made by
``python -m deploy.render secrets``; Temporal is the dev server. A service counts as up when
it answers ``GET /health``; the worker when Temporal sees it poll its task queue.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest

from deploy.probes import answers
from deploy.processes import Child, ProcessGroup
from deploy.render import ROOT, write_secrets
from deploy.stack import nats_server, service_port, temporal_server, throwaway, wir_env
from shared.settings import WirSettings
from shared.temporal import connect_temporal
from tests.deploy.manifests import K8S, build, compose, containers

PROCESSES = ("applications", "cases", "notifications", "coordination", "codec", "web", "worker")
READY_SECONDS = 90.0


@dataclass
class Stack:
    settings: WirSettings
    secrets: Path
    group: ProcessGroup


def entrypoint(command: list[str]) -> list[str]:
    """``command`` under the image's entrypoint, with this interpreter as ``python``."""
    argv = [sys.executable if part == "python" else part for part in command]
    return [sys.executable, "-m", "deploy.container.entrypoint", *argv]


def secret_env(service: dict[str, Any], secrets: Path) -> dict[str, str]:
    """The service's NATS user and its ``__FILE`` secrets, pointed at ``secrets``."""
    env: dict[str, str] = {}
    for key, value in service["environment"].items():
        if key == "WIR_NATS_USER":
            env[key] = value
        elif key.startswith("WIR_NATS_") and key.endswith("__FILE"):
            env[key] = str(secrets / Path(value).name)
    return env


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    root = tmp_path_factory.mktemp("commands")
    settings = throwaway(root, task_queue=f"wir-commands-{uuid.uuid4().hex[:8]}")
    secrets = root / "secrets"
    write_secrets(secrets)
    nats_dir = root / "nats-conf"
    nats_dir.mkdir()
    accounts = ROOT / "deploy" / "compose" / "nats" / "wir-accounts.conf"
    (nats_dir / "wir-accounts.conf").write_text(accounts.read_text())
    (nats_dir / "passwords.conf").write_text((secrets / "nats-passwords.conf").read_text())
    # one node: the rendered accounts without the cluster block (its peers are not here)
    (nats_dir / "server.conf").write_text('include "wir-accounts.conf"\n')
    group = ProcessGroup()
    try:
        await group.start_async(
            temporal_server(settings, ui=False),
            nats_server(settings, config=nats_dir / "server.conf"),
        )
        yield Stack(settings, secrets, group)
    finally:
        group.stop(timeout=10)


def test_compose_and_kubernetes_run_the_same_commands() -> None:
    services = compose()["services"]
    workloads = {
        d["metadata"]["name"]: d for d in build(K8S / "base") if d["kind"] in ("Deployment", "Job")
    }
    for name in (*PROCESSES, "nats-provision"):
        (container,) = containers(workloads[name])
        assert container["command"] == ["python", "-m", "deploy.container.entrypoint"]
        assert container["args"] == services[name]["command"], name


async def test_provisioning_creates_the_streams_as_admin(stack: Stack) -> None:
    service = compose()["services"]["nats-provision"]
    env = wir_env(stack.settings, secret_env(service, stack.secrets))
    result = await asyncio.to_thread(
        subprocess.run,
        entrypoint(service["command"]),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "streams ready" in result.stdout


async def test_every_process_serves_with_its_own_nats_user(stack: Stack) -> None:
    services = compose()["services"]
    s = stack.settings
    children: list[Child] = []
    for name in PROCESSES:
        command = list(services[name]["command"])
        port = {"web": s.web_port, "codec": s.codec_port}.get(name)
        if "--port" in command:
            port = s.web_port if name == "web" else service_port(s, name)
            command[command.index("--port") + 1] = str(port)
        env = wir_env(s, secret_env(services[name], stack.secrets))
        log = s.data_dir / "logs" / f"{name}.log"
        ready = answers(f"http://{s.host}:{port}/health") if port else None
        children.append(Child(name, entrypoint(command), log_path=log, env=env, ready=ready,
                              ready_timeout=READY_SECONDS, port=port, stage=2))  # fmt: skip
    await stack.group.start_async(*children)
    for child in children:
        assert child.running, f"{child.name} is not running:\n{child.tail()}"
    client = await connect_temporal(s)
    deadline = time.monotonic() + READY_SECONDS
    request = DescribeTaskQueueRequest(
        namespace=s.temporal_namespace,
        task_queue=TaskQueue(name=s.task_queue),
        task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    )
    while True:
        answer = await client.workflow_service.describe_task_queue(request)
        if answer.pollers:
            break
        worker = next(c for c in children if c.name == "worker")
        assert worker.running, f"the worker exited:\n{worker.tail()}"
        assert time.monotonic() < deadline, f"no worker polls {s.task_queue}:\n{worker.tail()}"
        await asyncio.sleep(0.5)
