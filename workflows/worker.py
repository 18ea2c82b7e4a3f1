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
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from shared import tracing
from shared.bus import EventBus, connect_nats
from shared.logs import configure_logging
from shared.metrics import metrics_server
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


def worker_runtime(settings: WirSettings) -> Runtime:
    """The worker process's one Temporal runtime: it serves the SDK's metrics
    (``temporal_*``, durations in seconds) on ``WIR_HOST``:``WIR_WORKER_METRICS_PORT``.
    The services keep the SDK's default runtime, which binds no port."""
    address = f"{settings.host}:{settings.worker_metrics_port}"
    prometheus = PrometheusConfig(bind_address=address, durations_as_seconds=True)
    return Runtime(telemetry=TelemetryConfig(metrics=prometheus))


async def main(settings: WirSettings | None = None) -> None:
    """The worker until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await run(settings or WirSettings(), stop)


async def run(settings: WirSettings, stop: asyncio.Event) -> None:
    """The worker until ``stop`` is set, with its two metrics endpoints (docs/metrics.md)
    and, when ``WIR_OTLP_ENDPOINT`` is set, its traces (docs/tracing.md)."""
    stop_tracing = tracing.configure(settings, service="worker")
    client = await connect_temporal(settings, runtime=worker_runtime(settings))
    # WIR's own series of this process (events published, process_*) on a second port
    metrics = metrics_server(settings, port=settings.worker_wir_metrics_port, service="worker")
    serving = asyncio.create_task(metrics.serve(), name="worker:metrics")
    nc = await connect_nats(settings, name="wir-worker")
    bus = EventBus.from_client(nc, settings)
    await bus.ensure_stream()
    worker = build_worker(client, bus, task_queue=settings.task_queue)

    log.info("worker polling task queue %s on %s", settings.task_queue, settings.temporal_address)
    try:
        async with worker:
            await stop.wait()
            log.info("worker shutting down")
        await nc.drain()
    finally:
        metrics.should_exit = True
        await serving
        stop_tracing()


if __name__ == "__main__":
    configure_logging(WirSettings(), service="worker")
    asyncio.run(main())
