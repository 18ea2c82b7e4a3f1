"""``python -m bench.replicas`` (or ``make bench BENCH_ARGS=--replicas``): one replica of each
process against two, in one run, on the same machine and the same PostgreSQL server.

For each size the replicated stack of deploy/replicated.py starts on a fresh database (a
Temporal dev server, NATS, the applications, cases and notifications services and the
worker, ``size`` copies of each behind the round-robin proxies; one replica still goes
through its proxy, so both sizes pay the same hop). After a warm-up, ``--replicas-concurrency``
journeys at a time run for ``--replicas-seconds`` (the journeys under way then finish), half
of them grant applications (draft, submit, wait for ``review_started`` on the stream, assign
the reviewer, review, approve) and half refugee cases (open, assess, refer to an offer).
Measured: commands/s, completed journeys/s, command latency, CPU seconds per process kind;
then every completed journey's events are read back from the stream (each stored once,
gap-free sequence numbers, the expected types) and from the read models' history tables
(each applied once). Prints a side-by-side table and writes JSON to
``bench/results/replicas-<UTC time>.json``. Measures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
import nats
from sqlalchemy.engine import make_url

from bench import load, programme
from bench.measure import CpuMeter, Samples, cpu_seconds
from deploy.processes import ProcessGroup
from deploy.replicated import ReplicatedStack, plan, provision
from deploy.stack import service_port, throwaway
from shared.contracts.envelope import CloudEvent

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("applications", "cases", "notifications")
LOCAL_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
GRANT_EVENTS = Counter(["submitted", "review_started", "reviewer_assigned", "reviewed", "approved"])
CASE_EVENTS = Counter(["opened", "assessed", "referral_sent"])
WARM_UP = 4  # journeys of each kind before the measured window
INTAKE = {
    "person": {"given_name": "Bench", "family_name": "Replica", "languages": ["ar"]},
    "consent": {"given": True, "purposes": ["case_management", "referral_to_services"]},
}


@contextlib.asynccontextmanager
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    """A new database on ``server_url``'s server for the block (dropped after); its URL."""
    parsed = make_url(server_url)
    name = f"wir_bench_replicas_{uuid.uuid4().hex[:8]}"
    await _sql(server_url, f'CREATE DATABASE "{name}"')
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        await _sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _sql(url: str, sql: str, *args: object) -> list[Any]:
    parsed = make_url(url)
    connection = await asyncpg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
    )
    try:
        return list(await connection.fetch(sql, *args))
    finally:
        await connection.close()


@dataclass
class Journeys:
    """The command mix through the proxies; every command is timed under its name."""

    users: load.Users
    applications: httpx.AsyncClient
    cases: httpx.AsyncClient
    subscriber: load.Subscriber
    samples: Samples = field(default_factory=Samples)
    failures: Counter[str] = field(default_factory=Counter)
    grants: list[str] = field(default_factory=list)
    case_ids: list[str] = field(default_factory=list)
    draft: dict[str, Any] = field(default_factory=dict)
    offer_id: str = ""

    async def prepare(self) -> None:
        round_id = await programme.open_round(
            self.applications, budgets={"coordination": "100000000.00"}
        )
        org_id = await programme.organisation(self.applications, name="Landkreis Fulda")
        self.users.bind_applicant(org_id)
        self.draft = {
            "organisation_id": org_id,
            "round_id": round_id,
            "priority_code": "coordination",
            **programme.content("1000.00"),
        }
        offers = await self.cases.get("/offers", params={"limit": 1})
        offers.raise_for_status()
        self.offer_id = str(offers.json()["items"][0]["id"])

    async def command(
        self, name: str, api: httpx.AsyncClient, path: str, headers: dict[str, str], **body: Any
    ) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response = await api.post(path, json=body or None, headers=headers)
        except httpx.HTTPError as exc:
            self.failures[f"{name} {type(exc).__name__}"] += 1
            return None
        self.samples.add(name, (time.perf_counter() - start) * 1000)
        if not response.is_success:
            self.failures[f"{name} {response.status_code}"] += 1
            return None
        return response

    async def grant(self) -> None:
        u, api = self.users, self.applications
        created = await self.command(
            "POST /applications (draft)", api, "/applications", u.applicant, **self.draft
        )
        if created is None:
            return
        application_id = str(created.json()["id"])
        path = f"/applications/{application_id}"
        reviewed = self.subscriber.expect(application_id)
        if await self.command("POST submit", api, f"{path}/submit", u.applicant) is None:
            return
        try:
            await asyncio.wait_for(reviewed.wait(), timeout=120)
        except TimeoutError:
            self.failures["review_started not seen within 120 s"] += 1
            return
        for name, suffix, body, headers in load.review_commands(u):
            if await self.command(name, api, f"{path}/{suffix}", headers, **body) is None:
                return
        self.grants.append(application_id)

    async def case(self) -> None:
        cm, api = self.users.case_manager, self.cases
        opened = await self.command("POST /cases", api, "/cases", cm, **INTAKE)
        if opened is None:
            return
        case_id = str(opened.json()["id"])
        path = f"/cases/{case_id}"
        needs = ["language", "employment"]
        assessed = await self.command("POST assessment", api, f"{path}/assessment", cm, needs=needs)
        if assessed is not None:
            sent = await self.command(
                "POST referral", api, f"{path}/referrals", cm, offer_id=self.offer_id
            )
            if sent is not None:
                self.case_ids.append(case_id)

    async def drive(self, *, concurrency: int, seconds: float) -> float:
        """Journeys, alternating grant and case, ``concurrency`` at a time; none starts
        after ``seconds``. Returns the seconds until the last one finished."""
        kinds = itertools.cycle((self.grant, self.case))
        start = time.perf_counter()

        async def slot() -> None:
            while time.perf_counter() - start < seconds:
                await next(kinds)()

        await asyncio.gather(*(slot() for _ in range(concurrency)))
        return time.perf_counter() - start


def admin_urls(stack: ReplicatedStack) -> list[str]:
    password = stack.credentials["admin"]
    return [
        u.replace("nats://", f"nats://admin:{password}@")
        for u in stack.settings.nats_url.split(",")
    ]


async def stored_events(urls: list[str], subject: str) -> list[CloudEvent]:
    """Every event the stream holds on ``subject``, read by an independent ordered consumer."""
    nc = await nats.connect(servers=urls)
    try:
        sub = await nc.jetstream().subscribe(subject, ordered_consumer=True)
        events: list[CloudEvent] = []
        with contextlib.suppress(nats.errors.TimeoutError):
            while True:
                msg = await sub.next_msg(timeout=3)
                events.append(CloudEvent.model_validate_json(msg.data))
                if msg.metadata.num_pending == 0:
                    break
        await sub.unsubscribe()
        return events
    finally:
        await nc.drain()


def verdict(events: list[CloudEvent], ids: list[str], expected: Counter[str]) -> dict[str, int]:
    """Each journey's events: stored twice (duplicates), expected but missing (losses),
    sequence numbers not 1..n, unexpected types."""
    by_entity: dict[str, list[CloudEvent]] = {}
    for event in events:
        by_entity.setdefault(event.subject or "", []).append(event)
    found = {
        "journeys": len(ids),
        "events": 0,
        "duplicates": 0,
        "losses": 0,
        "sequence_gaps": 0,
        "unexpected": 0,
    }
    for entity_id in ids:
        mine = by_entity.get(entity_id, [])
        once = {e.id: e for e in mine}
        types = Counter(e.type.rsplit(".", 1)[1] for e in once.values())
        found["events"] += len(mine)
        found["duplicates"] += len(mine) - len(once)
        found["losses"] += sum((expected - types).values())
        found["unexpected"] += sum((types - expected).values())
        seqs = sorted(e.payload().seq for e in once.values())
        found["sequence_gaps"] += seqs != list(range(1, len(seqs) + 1))
    return found


async def applied(database_url: str, table: str, key: str, stored: dict[str, set[str]]) -> int:
    """Journeys whose read-model history holds exactly their stored events, waiting up to
    60 s for the consumers to catch up."""
    deadline, matching = time.monotonic() + 60, 0
    while True:
        rows = await _sql(database_url, f"SELECT {key} AS entity, event_id FROM {table}")
        history: dict[str, set[str]] = {}
        for row in rows:
            history.setdefault(str(row["entity"]), set()).add(str(row["event_id"]))
        matching = sum(history.get(k, set()) == ids for k, ids in stored.items())
        if matching == len(stored) or time.monotonic() > deadline:
            return matching
        await asyncio.sleep(1)


def kind(name: str) -> str:
    return "proxies" if name.endswith("-proxy") else re.sub(r"-\d+$", "", name)


async def postgres_pids(database_url: str) -> set[int]:
    sql = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    rows = await _sql(database_url, f"{sql} AND pid <> pg_backend_pid()")
    return {int(row["pid"]) for row in rows}


async def one_size(args: argparse.Namespace, size: int, server_url: str) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix=f"wir-bench-replicas-{size}-"))
    async with fresh_database(server_url) as database_url:
        settings = throwaway(
            root, database_url=database_url, task_queue=f"wir-bench-replicas-{uuid.uuid4().hex[:6]}"
        )
        users = load.Users(settings)  # makes the run's signing key before the processes start
        stack = plan(
            settings,
            replicas=size,
            nats_nodes=args.replicas_nats_nodes,
            services=SERVICES,
            free_ports=True,
            ui=False,
            with_web=False,
            with_codec=False,
            log_level="warning",
        )
        group = ProcessGroup()
        loads = {"start": os.getloadavg()}
        try:
            started = time.perf_counter()
            servers, *rest = stack.stages()
            await group.start_async(*servers)
            await provision(stack)
            for stage in rest:
                await group.start_async(*stage)
            start_seconds = time.perf_counter() - started
            result = await _measure(args, stack, users, database_url)
        finally:
            group.stop(timeout=15)
            if args.keep:
                print(f"logs of {size} replica(s): {root}")
            else:
                shutil.rmtree(root, ignore_errors=True)
    loads["end"] = os.getloadavg()
    return {
        "replicas": size,
        "stack_start_seconds": round(start_seconds, 1),
        "load_average": {k: [round(x, 2) for x in v] for k, v in loads.items()},
        **result,
    }


async def _measure(
    args: argparse.Namespace, stack: ReplicatedStack, users: load.Users, database_url: str
) -> dict[str, Any]:
    def url(service: str) -> str:
        return f"http://127.0.0.1:{service_port(stack.settings, service)}"

    urls = admin_urls(stack)
    async with (
        httpx.AsyncClient(base_url=url("applications"), headers=users.officer, timeout=120) as apps,
        httpx.AsyncClient(base_url=url("cases"), headers=users.case_manager, timeout=120) as cases,
        load.Subscriber(",".join(urls), Samples()) as subscriber,
    ):
        journeys = Journeys(users, apps, cases, subscriber)
        await journeys.prepare()
        await asyncio.gather(*(j() for j in (journeys.grant, journeys.case) * WARM_UP))
        warm_failures = dict(journeys.failures)
        journeys.samples = subscriber.samples = Samples()
        journeys.failures, journeys.grants, journeys.case_ids = Counter(), [], []
        children = [c for stage in stack.stages() for c in stage]
        meter = CpuMeter({c.name: c.pid for c in children} | {"load driver": os.getpid()})
        pg_before = {pid: cpu_seconds(pid) for pid in await postgres_pids(database_url)}
        meter.start()
        seconds = await journeys.drive(
            concurrency=args.replicas_concurrency, seconds=args.replicas_seconds
        )
        cpu = meter.stop()
        pg_after = {pid: cpu_seconds(pid) for pid in await postgres_pids(database_url)}
    cpu_by_kind: dict[str, float] = {}
    for name, spent in cpu.items():
        cpu_by_kind[kind(name)] = cpu_by_kind.get(kind(name), 0.0) + spent
    cpu_by_kind["postgres (this database's backends)"] = sum(
        after - pg_before.get(pid, 0.0) for pid, after in pg_after.items()
    )
    grant_events = await stored_events(urls, "wir.application.>")
    case_events = await stored_events(urls, "wir.case.>")
    checks = {
        "grants": verdict(grant_events, journeys.grants, GRANT_EVENTS),
        "cases": verdict(case_events, journeys.case_ids, CASE_EVENTS),
    }
    for name, events, ids, table, key in (
        ("grants", grant_events, journeys.grants, "application_events", "application_id"),
        ("cases", case_events, journeys.case_ids, "case_events", "case_id"),
    ):
        stored = {i: {e.id for e in events if e.subject == i} for i in ids}
        checks[name]["applied_once_by_read_model"] = await applied(database_url, table, key, stored)
    commands = sum(len(v) for k, v in journeys.samples.ms.items() if k.startswith("POST"))
    completed = len(journeys.grants) + len(journeys.case_ids)
    all_commands = [x for k, v in journeys.samples.ms.items() if k.startswith("POST") for x in v]
    every = Samples({"all commands": all_commands}).summary()["all commands"]
    return {
        "concurrency": args.replicas_concurrency,
        "seconds": round(seconds, 2),
        "commands": commands,
        "commands_per_second": round(commands / seconds, 2),
        "journeys": {"grants": len(journeys.grants), "cases": len(journeys.case_ids)},
        "journeys_per_second": round(completed / seconds, 2),
        "failures": dict(journeys.failures),
        "warm_up_failures": warm_failures,
        "command_latency_ms": {k: round(v, 1) for k, v in every.items()},
        "latency_ms": journeys.samples.summary(),
        "cpu_seconds": {k: round(v, 2) for k, v in sorted(cpu_by_kind.items())},
        "checks": checks,
    }


def _row(label: str, values: list[object]) -> str:
    return f"| {label} | " + " | ".join(str(v) for v in values) + " |"


def table(result: dict[str, Any]) -> str:
    sizes = result["sizes"]
    lines = [
        "| | "
        + " | ".join(f"{s['replicas']} replica{'s' * (s['replicas'] > 1)}" for s in sizes)
        + " |",
        "|---|" + "---:|" * len(sizes),
    ]

    def row(label: str, get: Any) -> None:
        lines.append(_row(label, [get(s) for s in sizes]))

    row(
        "journeys (grant + case) completed",
        lambda s: f"{s['journeys']['grants']} + {s['journeys']['cases']}",
    )
    row("seconds (window and its tail)", lambda s: s["seconds"])
    row("commands/s", lambda s: s["commands_per_second"])
    row("completed journeys/s", lambda s: s["journeys_per_second"])
    row("failed commands", lambda s: sum(s["failures"].values()))
    for pct in ("p50", "p95", "p99"):
        row(f"command latency {pct} ms (all)", lambda s, p=pct: s["command_latency_ms"][p])
    for name in sizes[0]["latency_ms"]:
        row(
            f"{name} p50 / p95 ms",
            lambda s, n=name: "{p50:.0f} / {p95:.0f}".format(
                **s["latency_ms"].get(n, {"p50": 0, "p95": 0})
            ),
        )
    for name in sizes[0]["cpu_seconds"]:
        row(f"CPU s: {name}", lambda s, n=name: s["cpu_seconds"].get(n, 0.0))
    row("CPU s: all measured", lambda s: round(sum(s["cpu_seconds"].values()), 1))
    row(
        "CPU ms per completed journey",
        lambda s: round(
            sum(s["cpu_seconds"].values()) * 1000 / max(1, sum(s["journeys"].values()))
        ),
    )
    row(
        "events checked (grants + cases)",
        lambda s: f"{s['checks']['grants']['events']} + {s['checks']['cases']['events']}",
    )
    for key in ("duplicates", "losses", "sequence_gaps", "unexpected"):
        row(
            key.replace("_", " "),
            lambda s, k=key: s["checks"]["grants"][k] + s["checks"]["cases"][k],
        )
    row(
        "journeys applied once by the read models",
        lambda s: sum(c["applied_once_by_read_model"] for c in s["checks"].values()),
    )
    row(
        "load average (1/5/15 min) at the end",
        lambda s: " / ".join(f"{x:.1f}" for x in s["load_average"]["end"]),
    )
    return "\n".join(lines)


async def bench_replicas(args: argparse.Namespace) -> dict[str, Any]:
    server_url = args.database_url or LOCAL_SERVER
    if not make_url(server_url).drivername.startswith("postgresql"):
        raise SystemExit(
            "--replicas needs a PostgreSQL server (--database-url postgresql+asyncpg://...)"
        )
    sizes = []
    for size in args.replicas_sizes:
        print(f"{size} replica(s): starting the stack …", flush=True)
        sizes.append(await one_size(args, size, server_url))
        print(
            f"{size} replica(s): {sizes[-1]['journeys_per_second']} journeys/s, "
            f"{sizes[-1]['commands_per_second']} commands/s",
            flush=True,
        )
    return {"sizes": sizes}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--replicas-sizes",
        type=int,
        nargs="+",
        default=[1, 2],
        help="replicas of each process, one stack each (1 2)",
    )
    parser.add_argument(
        "--replicas-seconds", type=float, default=60.0, help="how long new journeys start (60)"
    )
    parser.add_argument(
        "--replicas-concurrency", type=int, default=10, help="journeys at a time (10)"
    )
    parser.add_argument(
        "--replicas-nats-nodes",
        type=int,
        default=1,
        help="NATS nodes for every size (1; 3 for a cluster with R3 streams)",
    )


def run(args: argparse.Namespace) -> None:
    from bench.run import _commit  # bench.run imports this module

    started, load_start = time.perf_counter(), os.getloadavg()
    result = asyncio.run(bench_replicas(args))
    result = {
        "commit": _commit(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_start": [round(x, 2) for x in load_start],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
        },
        "nats_nodes": args.replicas_nats_nodes,
        **result,
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"replicas-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(result, indent=2))
    machine = result["machine"]
    print(
        f"\n{machine['cpus']} CPUs (shared with other work); load average at the start "
        f"{' / '.join(map(str, machine['load_average_start']))}, at the end "
        f"{' / '.join(map(str, machine['load_average_end']))}; "
        f"NATS nodes: {args.replicas_nats_nodes}; wall time {result['wall_seconds']} s\n"
    )
    print(table(result))
    print(f"\nJSON: {path}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.replicas", description=__doc__)
    add_arguments(parser)
    parser.add_argument(
        "--database-url", default=None, help=f"the PostgreSQL server ({LOCAL_SERVER})"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
