"""The scale run: many open refugee cases waiting on their follow-up timers.

The cases are started directly through Temporal in the stage they reach after placement
(``RefugeeCaseInput.resume``), which is what a continue-as-new run of a placed case looks
like; going through intake, assessment and placement over HTTP would take three commands
per case. Each workflow then waits on its 30-day follow-up timer.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from bench.measure import Samples
from shared import cases
from shared.cases import CaseStage, PlacementType, RefugeeCaseInput, RefugeeCaseState
from shared.settings import WirSettings
from shared.temporal import KIND, STAGE
from tests.faults.stack import Child, start_and_wait

OPEN_QUERY = "WirKind = 'refugee_case' AND WirStage = 'placed' AND ExecutionStatus = 'Running'"


async def open_cases(client: Client, settings: WirSettings, count: int) -> tuple[list[str], float]:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    due = datetime.now(UTC) + timedelta(days=settings.follow_up_days)
    gate = asyncio.Semaphore(64)

    async def one(case_id: str) -> None:
        state = RefugeeCaseState(
            case_id=case_id,
            case_manager="bench.cm",
            stage=CaseStage.placed,
            seq=4,
            need_count=2,
            placement_type=PlacementType.internship,
            follow_up_due_at=due,
        )
        async with gate:
            await client.start_workflow(
                cases.WORKFLOW_NAME,
                RefugeeCaseInput(
                    case_id=case_id,
                    case_manager="bench.cm",
                    opened_by="bench.cm",
                    consent_purposes=["case_management"],
                    follow_up_days=settings.follow_up_days,
                    reopen_window_days=settings.reopen_window_days,
                    resume=state,
                ),
                id=cases.workflow_id(case_id),
                task_queue=settings.task_queue,
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(KIND, cases.KIND),
                        SearchAttributePair(STAGE, CaseStage.placed.value),
                    ]
                ),
            )

    start = time.perf_counter()
    await asyncio.gather(*(one(c) for c in ids))
    return ids, time.perf_counter() - start


async def _answered(client: Client, case_id: str, *, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while True:
        try:
            await asyncio.wait_for(_query(client, case_id), timeout=5)
            return
        except Exception:
            if time.perf_counter() > deadline:
                raise
            await asyncio.sleep(0.05)


async def _query(client: Client, case_id: str) -> None:
    await client.get_workflow_handle(cases.workflow_id(case_id)).query("state")


async def _queries(
    client: Client, ids: list[str], samples: Samples, name: str, *, concurrency: int = 10
) -> float:
    """Query each case once; a failed query counts as ``<name> failed``, not as a sample."""
    gate = asyncio.Semaphore(concurrency)

    async def one(case_id: str) -> None:
        async with gate:
            start = time.perf_counter()
            try:
                await _query(client, case_id)
            except Exception:
                samples.add(f"{name} failed", (time.perf_counter() - start) * 1000)
            else:
                samples.add(name, (time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(one(c) for c in ids))
    return time.perf_counter() - start


async def run_scale(
    client: Client, settings: WirSettings, worker: Child, count: int
) -> dict[str, Any]:
    samples = Samples()
    ids, started_in = await open_cases(client, settings, count)

    async def visible() -> int:
        return (await client.count_workflows(OPEN_QUERY)).count

    open_now = 0
    for _ in range(300):  # visibility follows the starts with a short delay
        open_now = await visible()
        if open_now >= count:
            break
        await asyncio.sleep(1)
    # The worker works through the starts' first tasks in order: once the last started
    # cases answer a query, it has caught up. Then let it settle and read its memory.
    caught_up = time.perf_counter()
    for case_id in ids[-5:]:
        await _answered(client, case_id, timeout=600)
    backlog_seconds = time.perf_counter() - caught_up
    await asyncio.sleep(3)
    rss_open = worker.rss_mb()
    peak_open = worker.peak_rss_mb()

    rng = random.Random(7)
    for _ in range(100):
        async with samples.timed("list: first page of open cases (50)"):
            page = client.list_workflows(OPEN_QUERY, page_size=50)
            await page.fetch_next_page()
        async with samples.timed("count: open cases"):
            await client.count_workflows(OPEN_QUERY)
    await _queries(client, rng.sample(ids, min(300, count)), samples, "query: case state")

    # restart the worker: how soon does it answer, and how fast does it replay
    worker.stop()
    spawned = time.perf_counter()
    await start_and_wait(worker)
    await _answered(client, ids[0], timeout=300)
    startup = time.perf_counter() - spawned
    replay_ids = rng.sample(ids[1:], min(1000, count - 1))
    replay_seconds = await _queries(
        client, replay_ids, samples, "query after restart (replay)", concurrency=20
    )
    return {
        "open_cases": count,
        "visible_open": open_now,
        "start_seconds": round(started_in, 1),
        "worker_caught_up_after_s": round(backlog_seconds, 1),
        "starts_per_second": round(count / started_in, 1),
        "worker_rss_mb_open": round(rss_open, 1),
        "worker_peak_rss_mb_open": round(peak_open, 1),
        "worker_rss_mb_after_replay": round(worker.rss_mb(), 1),
        "worker_startup_to_first_answer_s": round(startup, 2),
        "replayed_workflows": len(replay_ids),
        "replay_seconds": round(replay_seconds, 2),
        "replays_per_second": round(len(replay_ids) / replay_seconds, 1),
        "latency_ms": samples.summary(),
    }
