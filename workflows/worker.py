"""The WIR worker: runs every workflow and their activities on one task queue.

``python -m workflows.worker`` — stops gracefully on SIGINT/SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from shared import tracing
from shared.bus import EventBus, connect_nats
from shared.settings import WirSettings
from shared.temporal import connect_temporal
from workflows.coordination_event.workflow import CoordinationEventWorkflow
from workflows.events import EventActivities
from workflows.grant_application.activities import check_eligibility
from workflows.grant_application.workflow import GrantApplicationWorkflow
from workflows.refugee_case.workflow import RefugeeCaseWorkflow
from workflows.working_group.workflow import WorkingGroupWorkflow

log = logging.getLogger("wir.worker")

WORKFLOWS: Sequence[type] = (
    GrantApplicationWorkflow,
    RefugeeCaseWorkflow,
    WorkingGroupWorkflow,
    CoordinationEventWorkflow,
)


def activities(bus: EventBus) -> list[Any]:
    return [EventActivities(bus).publish_event, check_eligibility]


#: Workflow runs kept in memory between their tasks. A run not in the cache is replayed
#: from its history for its next task or query. About 70 KB each (measured, see
#: docs/benchmark.md): 3,000 keep the worker well under 500 MB with 10,000 open cases.
MAX_CACHED_WORKFLOWS = 3_000


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox, with WIR's own ``workflows`` package passed through: it is imported
    once instead of once per workflow run, which made creating a run (each start, and each
    replay of a run not in the cache) cost about 20 ms of CPU and a cached run about 110 KB
    instead of 70 KB. The parts of the workflows imported through
    ``imports_passed_through`` (commands, deadlines, timers) never had the sandbox's
    per-module checks; its check of builtins such as ``open`` still applies, and the
    workflow tests and the replay test run under the full default sandbox."""
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(
            # OpenTelemetry as well: the tracing interceptor's context (shared/tracing.py)
            # must be the process's one, not a copy per run
            "workflows",
            "opentelemetry",
        )
    )


def build_worker(client: Client, bus: EventBus, *, task_queue: str) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        activities=activities(bus),
        workflow_runner=workflow_runner(),
        max_cached_workflows=MAX_CACHED_WORKFLOWS,
        graceful_shutdown_timeout=timedelta(seconds=10),
    )


async def main(settings: WirSettings | None = None) -> None:
    settings = settings or WirSettings()
    stop_tracing = tracing.configure(settings, service="worker")
    client = await connect_temporal(settings)
    nc = await connect_nats(settings, name="wir-worker")
    bus = EventBus.from_client(nc, settings)
    await bus.ensure_stream()
    worker = build_worker(client, bus, task_queue=settings.task_queue)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    log.info("worker polling task queue %s on %s", settings.task_queue, settings.temporal_address)
    async with worker:
        await stop.wait()
        log.info("worker shutting down")
    await nc.drain()
    stop_tracing()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    asyncio.run(main())
