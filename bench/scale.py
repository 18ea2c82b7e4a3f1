"""The scale run: many open refugee cases, opened through the cases API.

Each case is opened as a case manager opens one (``POST /cases`` with the person and their
consent; stage *intake*); its workflow then waits on its deadlines (the inactivity
reminder). With all of them open the run measures the worker's memory and two kinds of
reads, reported apart:

- what users read: a case from the cases service's read model (``GET /cases/{id}``) and the
  first page of the case manager's open cases (``GET /cases?stage=intake``);
- Temporal's own: a visibility list and count, and the workflow's ``state`` query, which the
  worker answers from its cache or, for a case not in the cache, by replaying its history.

Then the worker is restarted: time to its first answer, and queries that all replay.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from temporalio.client import Client

from bench.measure import Samples
from deploy.processes import Child
from shared.contracts import cases

OPEN_QUERY = "WirKind = 'refugee_case' AND WirStage = 'intake' AND ExecutionStatus = 'Running'"
READ_CONCURRENCY = 10


async def open_cases(api: httpx.AsyncClient, count: int) -> tuple[list[str], float]:
    """``count`` cases through the API, 8 at a time; their ids and the seconds it took.

    Not more at once: on SQLite an intake holds the database's write lock while it starts
    the workflow, so more parallel intakes only queue, and beyond the connection pool (15)
    they time out after 30 s with 500."""
    gate = asyncio.Semaphore(8)

    async def one(index: int) -> str:
        body = {
            "person": {"given_name": f"Bench{index}", "family_name": "Case", "languages": ["ar"]},
            "consent": {"given": True, "purposes": ["case_management", "referral_to_services"]},
        }
        async with gate:
            response = await api.post("/cases", json=body)
        response.raise_for_status()
        return str(response.json()["id"])

    start = time.perf_counter()
    ids = list(await asyncio.gather(*(one(i) for i in range(count))))
    return ids, time.perf_counter() - start


async def _query(client: Client, case_id: str) -> None:
    await client.get_workflow_handle(cases.workflow_id(case_id)).query("state")


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


async def _each(
    ids: list[str],
    read: Callable[[str], Awaitable[object]],
    samples: Samples,
    name: str,
    *,
    concurrency: int = READ_CONCURRENCY,
) -> float:
    """``read`` each id once, ``concurrency`` at a time; a failure counts as ``<name>
    failed``, not as a sample. Returns the seconds it took."""
    gate = asyncio.Semaphore(concurrency)

    async def one(entity_id: str) -> None:
        async with gate:
            start = time.perf_counter()
            try:
                await read(entity_id)
            except Exception:
                samples.add(f"{name} failed", (time.perf_counter() - start) * 1000)
            else:
                samples.add(name, (time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in ids))
    return time.perf_counter() - start


async def run_scale(
    client: Client, cases_api: httpx.AsyncClient, worker: Child, count: int
) -> dict[str, Any]:
    samples = Samples()
    ids, started_in = await open_cases(cases_api, count)

    async def visible() -> int:
        return (await client.count_workflows(OPEN_QUERY)).count

    open_now = 0
    for _ in range(300):  # visibility follows the starts with a short delay
        open_now = await visible()
        if open_now >= count:
            break
        await asyncio.sleep(1)
    # The worker works through the starts' first tasks in order: once the last opened
    # cases answer a query, it has caught up. Then let it settle and read its memory.
    caught_up = time.perf_counter()
    for case_id in ids[-5:]:
        await _answered(client, case_id, timeout=600)
    backlog_seconds = time.perf_counter() - caught_up
    await asyncio.sleep(3)
    rss_open = worker.rss_mb()
    peak_open = worker.peak_rss_mb()

    async def read_case(case_id: str) -> None:
        (await cases_api.get(f"/cases/{case_id}")).raise_for_status()

    async def query(case_id: str) -> None:
        await _query(client, case_id)

    rng = random.Random(7)
    for _ in range(100):
        async with samples.timed("GET /cases?stage=intake (first page of 50)"):
            page = await cases_api.get("/cases", params={"stage": "intake", "limit": 50})
            page.raise_for_status()
        async with samples.timed("visibility list: first page of open cases (50)"):
            listing = client.list_workflows(OPEN_QUERY, page_size=50)
            await listing.fetch_next_page()
        async with samples.timed("visibility count: open cases"):
            await client.count_workflows(OPEN_QUERY)
    sample = rng.sample(ids, min(300, count))
    await _each(sample, read_case, samples, "GET /cases/{id} (read model)")
    await _each(sample, query, samples, "Temporal query: case state")

    # restart the worker: how soon does it answer, and how fast does it replay
    worker.stop()
    spawned = time.perf_counter()
    worker.start()
    await worker.wait_ready_async()
    await _answered(client, ids[0], timeout=300)
    startup = time.perf_counter() - spawned
    replay_ids = rng.sample(ids[1:], min(1000, count - 1))
    replay_seconds = await _each(
        replay_ids, query, samples, "Temporal query after restart (replay)", concurrency=20
    )
    return {
        "open_cases": count,
        "visible_open": open_now,
        "open_seconds": round(started_in, 1),
        "opened_per_second": round(count / started_in, 1),
        "worker_caught_up_after_s": round(backlog_seconds, 1),
        "worker_rss_mb_open": round(rss_open, 1),
        "worker_peak_rss_mb_open": round(peak_open, 1),
        "worker_rss_mb_after_replay": round(worker.rss_mb(), 1),
        "worker_startup_to_first_answer_s": round(startup, 2),
        "replayed_workflows": len(replay_ids),
        "replay_seconds": round(replay_seconds, 2),
        "replays_per_second": round(len(replay_ids) / replay_seconds, 1),
        "latency_ms": samples.summary(),
    }
