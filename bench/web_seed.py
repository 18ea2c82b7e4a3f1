"""Seeding the web benchmark's stack through the APIs: applications spread over
organisations, rounds and stages, and the case manager's refugee cases.

Every application and case is a real one with its workflow: drafts are created with
``POST /applications``, some submitted, some taken on to a reviewer, a review and an
approval, as :mod:`bench.load` does it; cases are opened with ``POST /cases`` (via
:func:`bench.scale.open_cases`, 8 at a time: on SQLite more parallel intakes only queue).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httpx

from bench import programme
from bench.load import APPLICANT, Subscriber, Users, bearer, review_commands
from bench.measure import Samples
from bench.scale import open_cases
from shared.auth import Role

ROUNDS = 3
ORGANISATIONS = 21  # every Landkreis of Hessen
#: applications' stages in the seed, by share: the rest of them stay drafts
SUBMITTED_SHARE, APPROVED_SHARE = 0.35, 0.15
#: applications in flight while seeding (drafts, submissions and the review commands)
CONCURRENCY = 10


@dataclass
class Seeded:
    """What the seed made, and how long each part took."""

    applications: list[str] = field(default_factory=list)
    by_stage: dict[str, int] = field(default_factory=dict)
    cases: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)

    def fail(self, reason: str) -> None:
        self.failures[reason] = self.failures.get(reason, 0) + 1


def plan(count: int) -> list[int]:
    """How far each of ``count`` applications goes: 0 draft, 1 submitted (in review),
    4 approved (reviewer, review and decision after the submission); spread evenly."""
    approved = round(count * APPROVED_SHARE)
    submitted = round(count * SUBMITTED_SHARE)
    steps = [4] * approved + [1] * submitted + [0] * (count - approved - submitted)
    # interleave, so that every organisation and round holds every stage
    return [steps[(i * 7919) % count] for i in range(count)] if count else []


async def seed_applications(
    api: httpx.AsyncClient, users: Users, nats_url: str, count: int, seeded: Seeded
) -> None:
    """``count`` applications over ``ROUNDS`` rounds and ``ORGANISATIONS`` organisations;
    ``api`` sends the officer's token."""
    start = time.perf_counter()
    rounds = [
        await programme.open_round(api, budgets={"coordination": "100000000.00"})
        for _ in range(ROUNDS)
    ]
    # a district is created under its real name: Hessen's Landkreise, as the API lists them
    bodies = await api.get("/reference/regional-bodies", params={"applicant_type": "district"})
    bodies.raise_for_status()
    names = [str(b["name"]) for b in bodies.json()][: min(ORGANISATIONS, max(1, count))]
    orgs = [await programme.organisation(api, name=name) for name in names]
    applicants = [bearer(users.settings, APPLICANT, Role.applicant, org) for org in orgs]
    commands = review_commands(users)
    gate = asyncio.Semaphore(CONCURRENCY)
    steps = plan(count)
    samples = Samples()

    async def one(index: int, subscriber: Subscriber) -> None:
        applicant = applicants[index % len(orgs)]
        body = {
            "organisation_id": orgs[index % len(orgs)],
            "round_id": rounds[index % ROUNDS],
            "priority_code": "coordination",
            **programme.content("1000.00"),
        }
        async with gate:
            draft = await api.post("/applications", json=body, headers=applicant)
            if not draft.is_success:
                return seeded.fail(f"POST /applications {draft.status_code}")
            application_id = str(draft.json()["id"])
            seeded.applications.append(application_id)
            if steps[index] == 0:
                return
            reviewed = subscriber.expect(application_id)
            path = f"/applications/{application_id}"
            submitted = await api.post(f"{path}/submit", headers=applicant)
            if submitted.status_code != 202:
                return seeded.fail(f"POST submit {submitted.status_code}")
            if steps[index] == 1:
                return
            try:
                await asyncio.wait_for(reviewed.wait(), timeout=120)
            except TimeoutError:
                return seeded.fail("review_started not seen within 120 s")
            for name, suffix, command, headers in commands:
                response = await api.post(f"{path}/{suffix}", json=command, headers=headers)
                if response.status_code != 200:
                    return seeded.fail(f"{name} {response.status_code}")

    async with Subscriber(nats_url, samples) as subscriber:
        await asyncio.gather(*(one(i, subscriber) for i in range(count)))
    seeded.seconds["applications"] = round(time.perf_counter() - start, 1)
    seeded.by_stage = await settled_stages(api, expected=steps)
    seeded.seconds["applications_settled"] = round(time.perf_counter() - start, 1)


async def settled_stages(
    api: httpx.AsyncClient, *, expected: list[int], timeout: float = 120
) -> dict[str, int]:
    """The applications per stage once the read model shows the seed's submissions and
    approvals (or ``timeout`` has passed)."""
    want_approved = sum(1 for s in expected if s == 4)
    want_in_review = sum(1 for s in expected if s == 1)
    deadline = time.perf_counter() + timeout
    while True:
        counts = {}
        for stage in ("draft", "submitted", "in_review", "approved"):
            page = await api.get("/applications", params={"stage": stage, "limit": 1})
            page.raise_for_status()
            counts[stage] = int(page.json()["total"])
        done = counts["approved"] >= want_approved and counts["in_review"] >= want_in_review
        if done or time.perf_counter() > deadline:
            return counts
        await asyncio.sleep(1)


async def seed_cases(api: httpx.AsyncClient, count: int, seeded: Seeded) -> None:
    """``count`` cases opened by the case manager ``api`` signs as."""
    if count:
        seeded.cases, seconds = await open_cases(api, count)
        seeded.seconds["cases"] = round(seconds, 1)
