"""Idempotency keys, file numbers and the budget across replicas: the same command on two
replicas at once acts once; concurrent approvals over one budget never over-commit."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from tests import grant_flows
from tests.faults import flows
from tests.scale.conftest import Scale

INTAKE = {
    "person": {"given_name": "Test", "family_name": "Person", "languages": ["fa"]},
    "consent": {"given": True, "purposes": ["case_management"]},
}


async def test_one_key_on_two_replicas_acts_once(scale: Scale) -> None:
    one, two = scale.replica_urls("cases")
    async with scale.client(one, "anna.cm") as first, scale.client(two, "anna.cm") as second:
        key = {"Idempotency-Key": "scale-intake-1"}
        opened = await asyncio.gather(
            *(c.post("/cases", json=INTAKE, headers=key) for c in (first, second))
        )
        assert {r.status_code for r in opened} <= {200, 201}, [r.text for r in opened]
        assert len({r.json()["id"] for r in opened}) == 1  # one case
    one, two = scale.replica_urls("applications")
    async with (
        scale.client(one, "petra.officer") as first,
        scale.client(two, "petra.officer") as second,
    ):
        org = await flows.organisation(first, "Kreis Bergstraße")
        round_id = await flows.open_round(first)
        drafts = await asyncio.gather(
            *(grant_flows.draft(c, org, round_id, requested="1000.00") for c in (first, second) * 4)
        )
        numbers = [(await first.get(f"/applications/{d}")).json()["file_number"] for d in drafts]
        assert len(set(numbers)) == len(numbers), numbers  # unique across the replicas
        serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
        assert serials == list(range(serials[0], serials[0] + len(serials)))  # gap-free


async def test_concurrent_approvals_never_over_commit(scale: Scale) -> None:
    one, two = scale.replica_urls("applications")
    budget = Decimal("10000.00")
    async with (
        scale.client(one, "petra.officer") as first,
        scale.client(two, "petra.officer") as second,
    ):
        org = await flows.organisation(first, "Odenwaldkreis")
        round_id = await grant_flows.open_round(first, budgets={"case_management": str(budget)})
        ids = [
            await grant_flows.draft(
                first, org, round_id, priority="case_management", requested="4000.00"
            )
            for _ in range(4)
        ]
        for application_id in ids:
            await flows.submit(first, application_id)
        for application_id in ids:
            await flows.stage_is(first, f"/applications/{application_id}", "in_review")
            await flows.reviewed(first, application_id)
        # four approvals of 4,000 over 10,000, on alternating replicas at once
        decided = await asyncio.gather(
            *(
                grant_flows.approve(client, application_id, "4000.00")
                for client, application_id in zip((first, second) * 2, ids, strict=True)
            )
        )
    approved = [r for r in decided if r.status_code == 200]
    assert len(approved) == 2, [(r.status_code, r.text[:120]) for r in decided]
    assert all(r.status_code in (200, 409, 422) for r in decided), [r.text for r in decided]
    assert sum(Decimal(r.json()["granted_amount"]) for r in approved) <= budget
