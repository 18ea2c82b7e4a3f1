"""``python -m bench.web`` (or ``make bench BENCH_ARGS=--web``): the web front end's pages
with many cases and applications behind them.

Starts the embedded default stack in a temporary folder (Temporal dev server on SQLite,
nats-server, the worker, the three services on SQLite, the web front end), seeds it through
the APIs (:mod:`bench.web_seed`), signs in through the web app's demo sign-in form (with its
CSRF token) as a programme officer and as the case manager who opened the cases, and times
``--web-requests`` sequential GETs of each page: the work queue (first page, a stage's first
page and a later page) and the case list (first and a later page). On loopback the request
time is the server-side render time; the app's ``Server-Timing`` header (``app;dur=``, the
web app's own time from its session middleware on) is reported beside it. Prints p50/p95/p99
per page and writes JSON to ``bench/results/web-<UTC time>.json``. Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import load, web_seed
from bench.measure import CpuMeter, Samples
from deploy.processes import ProcessGroup
from deploy.stack import SERVICES, WEB, nats_server, temporal_server, throwaway, wir_process

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 20  # services/web/pages/listing.py
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SERVER_TIMING = re.compile(r"app;dur=([0-9.]+)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--web-cases", type=int, default=10_000, help="cases to seed (10,000)")
    parser.add_argument(
        "--web-applications", type=int, default=1_000, help="applications to seed (1,000)"
    )
    parser.add_argument(
        "--web-requests", type=int, default=100, help="sequential GETs per page (100)"
    )


async def sign_in(web: httpx.AsyncClient, *, user: str, name: str, role: str) -> None:
    """The demo sign-in form as a person fills it: its CSRF token, then the POST."""
    form = await web.get("/sign-in")
    form.raise_for_status()
    found = CSRF.search(form.text)
    if found is None:
        raise RuntimeError("the sign-in page has no CSRF token")
    answer = await web.post(
        "/sign-in",
        data={"csrf_token": found.group(1), "user": user, "name": name, "roles": role},
    )
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in as {user} answered {answer.status_code}")


async def time_page(
    web: httpx.AsyncClient, path: str, name: str, count: int, samples: Samples
) -> None:
    """``count`` sequential GETs of ``path`` (after three untimed ones)."""
    for _ in range(3):
        (await web.get(path)).raise_for_status()
    for _ in range(count):
        start = time.perf_counter()
        answer = await web.get(path)
        elapsed = (time.perf_counter() - start) * 1000
        answer.raise_for_status()
        samples.add(name, elapsed)
        timing = SERVER_TIMING.search(answer.headers.get("server-timing", ""))
        if timing:
            samples.add(f"{name} [Server-Timing]", float(timing.group(1)))


def last_page(total: int) -> int:
    """The offset of the last full page of ``total`` rows (0 if there is one page)."""
    return max(0, (total // PAGE_SIZE - 1) * PAGE_SIZE)


async def measure_pages(
    web_url: str,
    api_urls: dict[str, str],
    users: load.Users,
    seeded: web_seed.Seeded,
    n: int,
    meter: CpuMeter,
) -> tuple[Samples, dict[str, dict[str, float]], dict[str, str]]:
    samples, cpu, pages = Samples(), {}, {}
    drafts = seeded.by_stage.get("draft", 0)
    office = {
        "work queue, first page": "/office/applications",
        "work queue, stage in_review, first page": "/office/applications?stage=in_review",
        f"work queue, stage draft, offset {last_page(drafts)}": (
            f"/office/applications?stage=draft&offset={last_page(drafts)}"
        ),
    }
    caseload = {
        "case list, first page": "/cases",
        f"case list, offset {last_page(len(seeded.cases))}": (
            f"/cases?offset={last_page(len(seeded.cases))}"
        ),
    }
    for who, role, paths in (
        (load.OFFICER, "programme_officer", office),
        (load.CASE_MANAGER, "case_manager", caseload),
    ):
        async with httpx.AsyncClient(base_url=web_url, timeout=120) as web:
            await sign_in(web, user=who, name="Bench", role=role)
            for name, path in paths.items():
                print(f"  {name}: {path} x{n} …", flush=True)
                meter.start()
                await time_page(web, path, name, n, samples)
                cpu[name] = {k: round(v * 1000 / n, 1) for k, v in meter.stop().items()}
                pages[name] = path
    # the same pages' API calls alone, with the case manager's token (what a page waits for)
    async with httpx.AsyncClient(base_url=api_urls["cases"], headers=users.case_manager) as api:
        for _ in range(n):
            async with samples.timed("API: GET /cases?limit=20"):
                listing = await api.get("/cases", params={"limit": PAGE_SIZE})
        for case_id in [c["id"] for c in listing.json()["items"]] * max(1, n // PAGE_SIZE):
            async with samples.timed("API: GET /cases/{id} (one at a time)"):
                (await api.get(f"/cases/{case_id}")).raise_for_status()
    async with httpx.AsyncClient(base_url=api_urls["applications"], headers=users.officer) as api:
        for _ in range(n):
            async with samples.timed("API: GET /applications?limit=20"):
                (await api.get("/applications", params={"limit": PAGE_SIZE})).raise_for_status()
    return samples, cpu, pages


async def bench_web(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    settings = throwaway(root, task_queue=f"wir-bench-{uuid.uuid4().hex[:6]}")
    temporal = temporal_server(settings, ui=False)
    nats = nats_server(settings)
    worker = wir_process("worker", settings)
    services = {name: wir_process(name, settings, log_level="warning") for name in SERVICES}
    web = wir_process(WEB, settings, log_level="warning")
    group = ProcessGroup()
    try:
        await group.start_async(temporal, nats)
        await group.start_async(worker, *services.values())
        await group.start_async(web)
        urls = {name: f"http://127.0.0.1:{child.port}" for name, child in services.items()}
        users = load.Users(settings)
        seeded = web_seed.Seeded()
        print(
            f"seeding {args.web_applications} applications and {args.web_cases} cases …",
            flush=True,
        )
        started = time.perf_counter()
        async with (
            httpx.AsyncClient(
                base_url=urls["applications"], headers=users.officer, timeout=120
            ) as apps,
            httpx.AsyncClient(
                base_url=urls["cases"], headers=users.case_manager, timeout=120
            ) as cases,
        ):
            await asyncio.gather(
                web_seed.seed_applications(
                    apps, users, settings.nats_url, args.web_applications, seeded
                ),
                web_seed.seed_cases(cases, args.web_cases, seeded),
            )
        seeded.seconds["total"] = round(time.perf_counter() - started, 1)
        print(f"  seeded in {seeded.seconds} s; stages {seeded.by_stage}", flush=True)
        meter = CpuMeter({c.name: c.pid for c in (web, *services.values())})
        samples, cpu, pages = await measure_pages(
            f"http://127.0.0.1:{web.port}", urls, users, seeded, args.web_requests, meter
        )
        return {
            "kind": "web",
            "commit": _commit(),
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count() or 0, "uptime": _uptime()},
            "applications": args.web_applications,
            "cases": args.web_cases,
            "requests_per_page": args.web_requests,
            "seeded": {
                "applications": len(seeded.applications),
                "cases": len(seeded.cases),
                "by_stage": seeded.by_stage,
                "seconds": seeded.seconds,
                "failures": seeded.failures,
            },
            "pages": pages,
            "latency_ms": samples.summary(),
            "cpu_ms_per_request": cpu,
            "peak_rss_mb": {c.name: round(c.peak_rss_mb(), 1) for c in (web, *services.values())},
        }
    finally:
        group.stop(timeout=15)


def _commit() -> str:
    from bench.run import _commit as commit

    return commit()


def _uptime() -> str:
    """The machine's load averages at the end of the run (other people share it)."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def table(result: dict[str, Any]) -> str:
    seeded = result["seeded"]
    rows = [
        f"commit {result['commit']}, {result['machine']['cpus']} CPUs, "
        f"{result['machine']['uptime']}",
        f"seeded {seeded['applications']} applications {seeded['by_stage']} and "
        f"{seeded['cases']} cases in {seeded['seconds']} s; failures {seeded['failures'] or 0}",
        "",
        "| page | p50 ms | p95 ms | p99 ms | max ms | Server-Timing p50 / p95 ms | n |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    latency = result["latency_ms"]
    for name, entry in latency.items():
        if name.endswith("[Server-Timing]"):
            continue
        timing = latency.get(f"{name} [Server-Timing]")
        inner = f"{timing['p50']:.0f} / {timing['p95']:.0f}" if timing else "-"
        rows.append(
            f"| {name} | {entry['p50']:.0f} | {entry['p95']:.0f} | {entry['p99']:.0f} | "
            f"{entry['max']:.0f} | {inner} | {entry['n']:.0f} |"
        )
    rows += ["", "CPU ms per page request, by process", ""]
    for name, per_process in result["cpu_ms_per_request"].items():
        rows.append(f"- {name}: " + ", ".join(f"{k} {v:.0f}" for k, v in per_process.items()))
    return "\n".join(rows)


def run(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="wir-bench-web-"))
    try:
        result = asyncio.run(bench_web(args, root))
    finally:
        if not getattr(args, "keep", False):
            shutil.rmtree(root, ignore_errors=True)
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"web-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(result, indent=2))
    print(table(result))
    print(f"\nJSON: {path}")
    if getattr(args, "keep", False):
        print(f"logs and databases: {root}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__)
    add_arguments(parser)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
