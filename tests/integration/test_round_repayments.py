"""After a reclaim is repaid, a round's statistics show what was paid, what came back and
what is left, and the round's setting says whether repaid money may be granted again;
over HTTP on the dev server, through the projection of the real events."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests import grant_flows as flow
from tests.servers import eventually


async def _reclaimed_and_repaid(client: httpx.AsyncClient, round_id: str) -> str:
    """75,000 granted, 50,000 paid, 42,000 spent: 8,000 reclaimed and repaid."""
    application_id = await flow.draft(client, await flow.organisation(client), round_id)
    await flow.submitted_in_review(client, application_id)
    await flow.reviewed(client, application_id)
    assert (await flow.approve(client, application_id, "75000.00")).status_code == 200
    await flow.funded(client, application_id)
    path = f"/applications/{application_id}"
    applicant = await flow.applicant(client, application_id)
    requested = await client.post(
        f"{path}/payments", json={"amount": "50000.00"}, headers=applicant
    )
    payment_id = requested.json()["payments"][0]["id"]
    await client.post(f"{path}/payments/{payment_id}/decision", json={"approve": True})
    report = await client.post(
        f"{path}/final-report", json={"spent_amount": "42000.00"}, headers=applicant
    )
    assert report.status_code == 200, report.text
    await client.post(
        f"{path}/final-report/review",
        json={"outcome": "reclaim", "reclaim_amount": "8000.00", "reason": "nicht verausgabt"},
    )
    closed = await client.post(f"{path}/repayments", json={"amount": "8000.00"})
    assert closed.json()["stage"] == "closed", closed.text
    return application_id


@pytest.mark.parametrize(("returns", "left"), [(False, "925000.00"), (True, "933000.00")])
async def test_statistics_after_a_repaid_reclaim(
    applications: httpx.AsyncClient, returns: bool, left: str
) -> None:
    round_id = await flow.open_round(
        applications, budgets={"coordination": "1000000.00"}, repaid_returns_to_budget=returns
    )
    await _reclaimed_and_repaid(applications, round_id)

    async def settled() -> dict[str, Any] | None:
        stats: dict[str, Any] = (await applications.get(f"/rounds/{round_id}/statistics")).json()
        return stats if stats["totals"]["repaid"] == "8000.00" else None

    stats = await eventually(settled, timeout=20)
    assert stats["repaid_returns_to_budget"] is returns
    [coordination] = stats["priorities"]
    assert (coordination["paid"], coordination["repaid"], coordination["paid_net"]) == (
        "50000.00",
        "8000.00",
        "42000.00",
    )
    assert coordination["budget_left"] == left
    round_view = (await applications.get(f"/rounds/{round_id}")).json()
    assert round_view["repaid_returns_to_budget"] is returns
    assert round_view["budgets"][0]["left"] == left
