"""``python -m bench.run`` (``make bench``): WIR against the bare engine, on one machine.

Starts its own Temporal dev server (SQLite file), nats-server, the WIR worker, the
baseline worker and the three services, all as subprocesses in a temporary folder. Then,
for each concurrency level, the baseline and WIR each complete ``--count`` workflows; then
the scale run opens ``--cases`` refugee cases waiting on follow-up timers. Prints a table,
writes JSON to ``bench/results/`` and the plot to ``docs/benchmark.png``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import load, replicas, report, scale, web
from bench.baseline import TASK_QUEUE_SUFFIX
from bench.measure import CpuMeter, Samples
from deploy.processes import Child, ProcessGroup
from deploy.stack import (
    SERVICES,
    WORKER_STAGE,
    nats_server,
    temporal_server,
    throwaway,
    wir_env,
    wir_process,
)
from shared.temporal import connect_temporal

ROOT = Path(__file__).resolve().parent.parent


def _commit() -> str:
    """The checked-out commit; ``WIR_BENCH_COMMIT`` names it for a tree exported without
    ``.git`` (``git archive``), e.g. to benchmark a commit while others edit the checkout."""
    if os.environ.get("WIR_BENCH_COMMIT"):
        return os.environ["WIR_BENCH_COMMIT"]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{' (working tree had changes)' if dirty else ''}"


async def bench(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    fields: dict[str, object] = {"task_queue": f"wir-bench-{uuid.uuid4().hex[:6]}"}
    if args.database_url:
        fields["database_url"] = args.database_url
    settings = throwaway(root, **fields)
    temporal = temporal_server(settings, ui=False, extra=args.temporal_arg)
    nats = nats_server(settings)
    worker = wir_process("worker", settings)
    baseline_worker = Child(
        "baseline-worker",
        [sys.executable, "-m", "bench.baseline"],
        log_path=root / "logs" / "baseline-worker.log",
        env=wir_env(settings),
        stage=WORKER_STAGE,
    )
    services = {name: wir_process(name, settings, log_level="warning") for name in SERVICES}
    group = ProcessGroup()
    try:
        await group.start_async(temporal, nats)
        await group.start_async(worker, baseline_worker, *services.values())
        client = await connect_temporal(settings)
        runs: list[dict[str, Any]] = []
        api_url = f"http://127.0.0.1:{services['applications'].port}"
        users = load.Users(settings)
        async with httpx.AsyncClient(base_url=api_url, headers=users.officer, timeout=120) as api:
            warm = await load.prepare_drafts(api, users, 5, Samples())
            async with load.Subscriber(settings.nats_url, Samples()) as subscriber:
                await load.run_wir(api, users, subscriber, warm, concurrency=5)
            await load.run_baseline(
                client, task_queue=settings.task_queue + TASK_QUEUE_SUFFIX, count=5, concurrency=5
            )
            base_cpu = CpuMeter({c.name: c.pid for c in (temporal, baseline_worker)})
            wir_cpu = CpuMeter(
                {c.name: c.pid for c in (temporal, nats, worker, *services.values())}
            )
            for concurrency in args.concurrency:
                print(f"concurrency {concurrency}: baseline …", flush=True)
                base_cpu.start()
                base = await load.run_baseline(
                    client,
                    task_queue=settings.task_queue + TASK_QUEUE_SUFFIX,
                    count=args.count,
                    concurrency=concurrency,
                )
                base.cpu_seconds, base.load_average = base_cpu.stop(), os.getloadavg()[0]
                print(f"concurrency {concurrency}: WIR …", flush=True)
                samples = Samples()
                drafts = await load.prepare_drafts(api, users, args.count, samples)
                async with load.Subscriber(settings.nats_url, samples) as subscriber:
                    wir_cpu.start()
                    wir = await load.run_wir(
                        api, users, subscriber, drafts, concurrency=concurrency
                    )
                    await asyncio.sleep(1)  # the last events reach the subscriber
                    wir.cpu_seconds, wir.load_average = wir_cpu.stop(), os.getloadavg()[0]
                await load.read_latencies(api, drafts, samples)
                runs.append({"baseline": base.as_dict(), "wir": wir.as_dict()})
                print(report.line(base, wir), flush=True)
        rss = {
            "worker": worker.peak_rss_mb(),
            "baseline-worker": baseline_worker.peak_rss_mb(),
            **{name: child.peak_rss_mb() for name, child in services.items()},
        }
        scale_result: dict[str, Any] | None = None
        if args.cases:
            print(f"scale run: {args.cases} open cases …", flush=True)
            cases_url = f"http://127.0.0.1:{services['cases'].port}"
            try:
                async with httpx.AsyncClient(
                    base_url=cases_url, headers=users.case_manager, timeout=120
                ) as cases_api:
                    scale_result = await scale.run_scale(client, cases_api, worker, args.cases)
            except Exception as exc:  # keep the load runs' numbers
                print(f"scale run failed: {exc!r}", flush=True)
                scale_result = {"open_cases": args.cases, "error": repr(exc)}
        return {
            "commit": _commit(),
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": _cpus(), "python": platform.python_version()},
            "count": args.count,
            "temporal_args": args.temporal_arg,
            "runs": runs,
            "peak_rss_mb": {k: round(v, 1) for k, v in rss.items()},
            "scale": scale_result,
        }
    finally:
        group.stop(timeout=15)


def _cpus() -> int:
    return os.cpu_count() or 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--count", type=int, default=150, help="workflows per run")
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[1, 10, 50], help="in-flight levels"
    )
    parser.add_argument("--cases", type=int, default=10_000, help="open cases (0: no scale run)")
    parser.add_argument("--database-url", default=None, help="default: SQLite per service")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs" / "benchmark.png")
    parser.add_argument(
        "--temporal-arg",
        action="append",
        default=[],
        help="extra argument for temporal server start-dev (repeat for each)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--web",
        action="store_true",
        help="instead: the web pages' render times (bench/web.py; its --web-* options)",
    )
    web.add_arguments(parser)
    parser.add_argument(
        "--replicas",
        action="store_true",
        help="instead: one replica of each process against two (bench/replicas.py; its "
        "--replicas-* options; --database-url names the PostgreSQL server)",
    )
    replicas.add_arguments(parser)
    args = parser.parse_args(argv)
    if args.web:
        web.run(args)
        return
    if args.replicas:
        replicas.run(args)
        return

    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="wir-bench-"))
    result = asyncio.run(bench(args, root))
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(result, indent=2))
    print(report.table(result))
    print(f"\nJSON: {path}")
    if report.plot(result, args.plot):
        print(f"plot: {args.plot}")
    if args.keep:
        print(f"logs and databases: {root}")
    else:
        import shutil

        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
