"""The two loads compared: bare Temporal workflows, and grant applications through WIR's API.

Both run ``count`` workflows with at most ``concurrency`` in flight and report completed
workflows per second. WIR's counts as completed when the approval's HTTP answer arrives.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import nats
from nats.aio.msg import Msg
from temporalio.client import Client

from bench import programme
from bench.baseline import BaselineInput, BaselineWorkflow
from bench.measure import Samples
from shared.auth import Role, mint_token
from shared.contracts.envelope import CloudEvent
from shared.settings import WirSettings

REVIEWER, APPROVER, OFFICER, APPLICANT = "rita.reviewer", "jonas.approver", "petra.bench", "kontakt"
CASE_MANAGER = "bench.cm"


def bearer(
    settings: WirSettings, user: str, role: Role, organisation_id: str | None = None
) -> dict[str, str]:
    """The ``Authorization`` header of ``user`` holding ``role`` (a token from the local key)."""
    token = mint_token(settings, user=user, roles=[role], organisation_id=organisation_id)
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Users:
    """Who does what in the load: the officer creates the round and the organisation and
    assigns the reviewer, the applicant (bound to its organisation) drafts and submits, the
    reviewer reviews, the approver decides."""

    settings: WirSettings
    officer: dict[str, str] = field(default_factory=dict)
    reviewer: dict[str, str] = field(default_factory=dict)
    approver: dict[str, str] = field(default_factory=dict)
    applicant: dict[str, str] = field(default_factory=dict)
    case_manager: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.officer = bearer(self.settings, OFFICER, Role.programme_officer)
        self.reviewer = bearer(self.settings, REVIEWER, Role.reviewer)
        self.approver = bearer(self.settings, APPROVER, Role.approver)
        self.case_manager = bearer(self.settings, CASE_MANAGER, Role.case_manager)

    def bind_applicant(self, organisation_id: str) -> None:
        self.applicant = bearer(self.settings, APPLICANT, Role.applicant, organisation_id)


@dataclass
class LoadResult:
    name: str
    count: int
    concurrency: int
    seconds: float
    samples: Samples = field(default_factory=Samples)
    errors: int = 0
    #: CPU seconds each process spent on the run (bench.measure.CpuMeter)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    #: the machine's 1-minute load average when the run ended
    load_average: float = 0.0

    #: why workflows did not complete, e.g. ``{"POST submit 500": 3}``
    failures: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        """Completed workflows per second (a failed one does not count)."""
        return (self.count - self.errors) / self.seconds if self.seconds else 0.0

    def fail(self, reason: str) -> None:
        self.errors += 1
        self.failures[reason] = self.failures.get(reason, 0) + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "count": self.count,
            "concurrency": self.concurrency,
            "seconds": round(self.seconds, 3),
            "workflows_per_second": round(self.per_second, 2),
            "errors": self.errors,
            "failures": self.failures,
            "load_average": round(self.load_average, 2),
            "cpu_seconds": self.cpu_seconds,
            "cpu_ms_per_workflow": {
                name: round(seconds * 1000 / max(1, self.count - self.errors), 1)
                for name, seconds in self.cpu_seconds.items()
            },
            "latency_ms": self.samples.summary(),
        }


async def run_baseline(
    client: Client, *, task_queue: str, count: int, concurrency: int
) -> LoadResult:
    result = LoadResult("baseline", count, concurrency, 0.0)
    gate = asyncio.Semaphore(concurrency)
    run = uuid.uuid4().hex[:6]

    async def one(index: int) -> None:
        async with gate, result.samples.timed("workflow"):
            await client.execute_workflow(
                BaselineWorkflow.run,
                BaselineInput(),
                id=f"bench-baseline-{run}-{index}",
                task_queue=task_queue,
            )

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    result.seconds = time.perf_counter() - start
    return result


class Subscriber:
    """An external system: an ordered push consumer on ``wir.application.>`` that notes
    each event's lag and wakes whoever waits for an application's ``review_started``."""

    def __init__(self, nats_url: str, samples: Samples) -> None:
        self.nats_url = nats_url
        self.samples = samples
        self.waiting: dict[str, asyncio.Event] = {}
        self.received = 0

    async def __aenter__(self) -> Subscriber:
        self.nc = await nats.connect(self.nats_url)
        js = self.nc.jetstream()
        self.sub = await js.subscribe(
            "wir.application.>", ordered_consumer=True, deliver_policy=_new(), cb=self._on
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.sub.unsubscribe()
        await self.nc.drain()

    def expect(self, application_id: str) -> asyncio.Event:
        return self.waiting.setdefault(application_id, asyncio.Event())

    async def _on(self, msg: Msg) -> None:
        now = datetime.now(UTC)
        self.received += 1
        stored = msg.metadata.timestamp
        # publish (stored in the stream) -> delivered here
        self.samples.add("event lag (stored -> subscriber)", (now - stored).total_seconds() * 1e3)
        event = CloudEvent.model_validate_json(msg.data)
        # the workflow's decision to emit -> delivered here (includes the activity's scheduling)
        self.samples.add(
            "event lag (emitted -> subscriber)", (now - event.time).total_seconds() * 1e3
        )
        if event.type == "wir.application.review_started" and event.subject:
            self.expect(event.subject).set()


def _new() -> Any:
    from nats.js.api import DeliverPolicy

    return DeliverPolicy.NEW


async def prepare_drafts(
    api: httpx.AsyncClient, users: Users, count: int, samples: Samples
) -> list[str]:
    """An open funding round with room for every approval, one applicant, ``count`` drafts.
    ``api`` sends the officer's token; drafts are the applicant's."""
    round_id = await programme.open_round(api, budgets={"coordination": "100000000.00"})
    org_id = await programme.organisation(api, name="Landkreis Fulda")
    users.bind_applicant(org_id)
    body = {
        "organisation_id": org_id,
        "round_id": round_id,
        "priority_code": "coordination",
        **programme.content("1000.00"),
    }
    gate = asyncio.Semaphore(10)

    async def one() -> str:
        async with gate, samples.timed("POST /applications (draft)"):
            response = await api.post("/applications", json=body, headers=users.applicant)
        response.raise_for_status()
        return str(response.json()["id"])

    return list(await asyncio.gather(*(one() for _ in range(count))))


def review_commands(users: Users) -> tuple[tuple[str, str, dict[str, Any], dict[str, str]], ...]:
    """The commands from submission to approval, in order (after waiting for review_started)."""
    return (
        ("POST reviewer", "reviewer", {"reviewer": REVIEWER}, users.officer),
        (
            "POST review",
            "review",
            {"scores": programme.FULL_SCORES, "comment": "ok", "recommendation": "approve"},
            users.reviewer,
        ),
        (
            "POST decision (approve)",
            "decision",
            {"decision": "approve", "granted_amount": "900.00"},
            users.approver,
        ),
    )


async def run_wir(
    api: httpx.AsyncClient,
    users: Users,
    subscriber: Subscriber,
    drafts: list[str],
    *,
    concurrency: int,
) -> LoadResult:
    result = LoadResult("wir", len(drafts), concurrency, 0.0, samples=subscriber.samples)
    gate = asyncio.Semaphore(concurrency)
    commands = review_commands(users)

    async def one(application_id: str) -> None:
        reviewed = subscriber.expect(application_id)
        path = f"/applications/{application_id}"
        async with gate:
            async with result.samples.timed("POST submit"):
                submitted = await api.post(f"{path}/submit", headers=users.applicant)
            if submitted.status_code != 202:
                return result.fail(f"POST submit {submitted.status_code}")
            try:
                await asyncio.wait_for(reviewed.wait(), timeout=120)
            except TimeoutError:
                return result.fail("review_started not seen within 120 s")
            for name, suffix, body, headers in commands:
                async with result.samples.timed(name):
                    response = await api.post(f"{path}/{suffix}", json=body, headers=headers)
                if response.status_code != 200:
                    return result.fail(f"{name} {response.status_code}")

    start = time.perf_counter()
    await asyncio.gather(*(one(a) for a in drafts))
    result.seconds = time.perf_counter() - start
    return result


async def read_latencies(api: httpx.AsyncClient, drafts: list[str], samples: Samples) -> None:
    """Reads after the load: one application, and a filtered page of the list."""
    for application_id in drafts[:200]:
        async with samples.timed("GET /applications/{id}"):
            (await api.get(f"/applications/{application_id}")).raise_for_status()
    for _ in range(100):
        async with samples.timed("GET /applications?stage=approved"):
            (
                await api.get("/applications", params={"stage": "approved", "limit": 50})
            ).raise_for_status()
