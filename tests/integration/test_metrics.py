"""``GET /metrics`` of every WIR process over real HTTP, with the real servers behind them:
a submitted application moves the request, command, publishing, consumer and delivery
series; the worker's own port shows the Temporal SDK's series after a workflow ran."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from temporalio.client import Client

from deploy.probes import free_port
from shared.bus import EventBus, PermanentError, connect_nats
from shared.contracts import coordination
from shared.contracts.consumers import APPLICATIONS_READ_MODEL, NOTIFICATIONS
from shared.contracts.coordination import WorkingGroupInput
from shared.contracts.envelope import CloudEvent, build_event
from shared.contracts.events.case import CaseReopened
from shared.metrics import process_metrics
from shared.settings import WirSettings
from tests import grant_flows as flow
from tests.servers import eventually, serve, wait_for_port
from workflows.worker import run


async def scrape(url: str, **headers: str) -> str:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{url}/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return response.text


def value(text: str, name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` whose labels include ``labels``."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                total += sample.value
    return total


async def test_a_submitted_application_moves_the_named_series(
    applications: httpx.AsyncClient,
    applications_url: str,
    notifications_url: str,
) -> None:
    before = await scrape(applications_url)
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications, name="Fulda")
    application_id = await flow.draft(applications, organisation_id, round_id)
    await flow.submitted_in_review(applications, application_id)

    command = {"service": "applications", "command": "submit_application", "outcome": "ok"}
    route = "/applications/{application_id}"

    async def moved() -> str | None:
        after = await scrape(applications_url)
        changes = [
            value(after, name, **labels) - value(before, name, **labels)
            for name, labels in (
                ("wir_commands_total", command),
                ("wir_http_requests_total", {"route": route, "status": "200"}),
                ("wir_http_request_duration_seconds_count", {"route": route, "method": "GET"}),
                ("wir_events_published_total", {"outcome": "stored"}),
                ("wir_events_consumed_total", {"durable": APPLICATIONS_READ_MODEL}),
                ("wir_events_consumed_total", {"durable": NOTIFICATIONS, "outcome": "acked"}),
                ("wir_deliveries_total", {"channel": "inbox", "outcome": "stored"}),
            )
        ]
        return after if all(change > 0 for change in changes) else None

    after = await eventually(moved, timeout=20)
    assert f'wir_consumer_pending_messages{{durable="{APPLICATIONS_READ_MODEL}"}}' in after
    # the route template, never the path with its id or a query string
    assert application_id not in after and "?" not in after.replace("# HELP", "")
    assert value(after, "process_cpu_seconds_total") > 0


async def test_a_consumer_counts_pending_redelivered_and_dead_lettered_messages(
    settings: WirSettings,
) -> None:
    quick = settings.model_copy(update={"consumer_backoff_seconds": [0.1]})
    nc = await connect_nats(quick, name="test-metrics-consumer")
    bus = EventBus.from_client(nc, quick)
    await bus.ensure_stream()
    case_id = str(uuid.uuid4())
    flaky, poison, fine = (_event(case_id, seq) for seq in (1, 2, 3))
    for event in (flaky, poison, fine):
        await bus.publish(event)
    durable = f"metrics-{case_id[:8]}"
    pending_seen: list[float] = []

    async def handler(event: CloudEvent) -> None:
        text = process_metrics().exposition().decode()
        pending_seen.append(value(text, "wir_consumer_pending_messages", durable=durable))
        if event.id == flaky.id and len(pending_seen) == 1:
            raise ConnectionError("the read model's database is away")
        if event.id == poison.id:
            raise PermanentError("unknown offer")

    stop = asyncio.Event()
    subject = f"wir.case.*.{case_id}"
    task = asyncio.create_task(
        bus.consume(durable=durable, subject=subject, handler=handler, stop=stop)
    )

    async def settled() -> str | None:
        text = process_metrics().exposition().decode()
        return text if value(text, "wir_events_consumed_total", durable=durable) == 4 else None

    text = await eventually(settled, timeout=20)
    stop.set()
    await task
    await nc.drain()
    assert pending_seen[0] == 2  # two more waited behind the first delivery
    counts = {
        outcome: value(text, "wir_events_consumed_total", durable=durable, outcome=outcome)
        for outcome in ("acked", "retried", "dead_lettered")
    }
    assert counts == {"acked": 2, "retried": 1, "dead_lettered": 1}
    assert value(text, "wir_consumer_redeliveries_total", durable=durable) == 1
    assert value(text, "wir_dead_letters_total", durable=durable) == 1


def _event(case_id: str, seq: int) -> CloudEvent:
    data = CaseReopened(case_id=case_id, case_manager="anna", stage="in_progress", seq=seq)
    return build_event(event_id=str(uuid.uuid4()), data=data, time=datetime.now(UTC))


async def test_each_service_serves_its_metrics_outside_its_openapi_document(
    applications_url: str, cases_url: str, notifications_url: str, coordination_url: str
) -> None:
    for url in (applications_url, cases_url, notifications_url, coordination_url):
        text = await scrape(url)
        assert "wir_http_requests_total" in text
        async with httpx.AsyncClient() as client:
            document = (await client.get(f"{url}/openapi.json")).json()
        assert "/metrics" not in document["paths"]


async def test_the_web_front_end_counts_its_pages_and_makes_no_session_for_a_scrape(
    settings: WirSettings,
) -> None:
    from services.web.app import create_app

    async with serve(create_app(settings)) as url, httpx.AsyncClient() as client:
        assert (await client.get(f"{url}/health")).status_code == 200
        scraped = await client.get(f"{url}/metrics")
        assert scraped.status_code == 200
        assert "set-cookie" not in scraped.headers
        labels = {"service": "web", "route": "/health", "status": "200"}
        assert value(scraped.text, "wir_http_requests_total", **labels) >= 1


async def test_a_metrics_token_protects_the_codec_servers_metrics(settings: WirSettings) -> None:
    from services.codec.app import create_app

    guarded = settings.model_copy(update={"metrics_token": SecretStr("scrape-me")})
    async with serve(create_app(guarded)) as url, httpx.AsyncClient() as client:
        refused = await client.get(f"{url}/metrics")
        wrong = await client.get(f"{url}/metrics", headers={"Authorization": "Bearer nope"})
        assert refused.status_code == wrong.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")
        text = await scrape(url, Authorization="Bearer scrape-me")
        await client.get(f"{url}/health")
        text = await scrape(url, Authorization="Bearer scrape-me")
        assert value(text, "wir_http_requests_total", service="codec", route="/health") >= 1


@pytest_asyncio.fixture(loop_scope="session")
async def worker_ports(settings: WirSettings) -> AsyncIterator[WirSettings]:
    """The worker as ``python -m workflows.worker`` runs it, on a task queue of its own."""
    own = settings.model_copy(
        update={
            "task_queue": f"wir-metrics-{uuid.uuid4().hex[:8]}",
            "worker_metrics_port": free_port(),
            "worker_wir_metrics_port": free_port(),
        }
    )
    stop = asyncio.Event()
    task = asyncio.create_task(run(own, stop))
    try:
        await wait_for_port(own.worker_wir_metrics_port)
        yield own
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=20)


async def test_the_workers_port_shows_the_temporal_sdks_series_after_a_workflow_ran(
    worker_ports: WirSettings, temporal_client: Client
) -> None:
    s = worker_ports
    group = WorkingGroupInput(group_id=str(uuid.uuid4()), coordinator="clara")
    await temporal_client.start_workflow(
        coordination.WORKFLOW_NAME,
        group,
        id=coordination.workflow_id(group.group_id),
        task_queue=s.task_queue,
    )
    sdk = f"http://{s.host}:{s.worker_metrics_port}"

    async def ran() -> str | None:
        text = await scrape(sdk)
        done = value(
            text, "temporal_workflow_task_execution_latency_count", task_queue=s.task_queue
        )
        return text if done > 0 else None

    text = await eventually(ran, timeout=20)
    assert "temporal_workflow_task_schedule_to_start_latency" in text
    assert "temporal_activity_execution_latency" in text  # the group's first event published
    wir = await scrape(f"http://{s.host}:{s.worker_wir_metrics_port}")
    assert "wir_events_published_total" in wir and "process_cpu_seconds_total" in wir
    async with httpx.AsyncClient() as client:
        assert (
            await client.get(f"http://{s.host}:{s.worker_wir_metrics_port}/")
        ).status_code == 404
