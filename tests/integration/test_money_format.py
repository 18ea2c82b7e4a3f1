"""Every amount in an answer has one written form, two decimals ("0.00"), however the
request wrote it; comparing revisions shows no change where only the form differed."""

from __future__ import annotations

from typing import Any

import httpx

from tests import grant_flows as flow


def _loosely_written() -> dict[str, Any]:
    """Content whose amounts come without decimals, and no third-party contribution."""
    body = flow.content("80000.00")
    body.pop("third_party_contribution")
    body["cost_lines"][1]["amount"] = "1000"
    return body


async def test_amounts_are_answered_with_two_decimals(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications, budgets={"coordination": "500000"})
    created = await applications.post(
        "/applications",
        json={
            "organisation_id": await flow.organisation(applications),
            "round_id": round_id,
            "priority_code": "coordination",
            **_loosely_written(),
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["third_party_contribution"] == "0.00"
    assert body["cost_lines"][1]["amount"] == "1000.00"
    assert body["paid_amount"] == "0.00" and body["repaid_amount"] == "0.00"
    again = (await applications.get(f"/applications/{body['id']}")).json()
    assert again["third_party_contribution"] == "0.00"
    budget = (await applications.get(f"/rounds/{round_id}")).json()["budgets"][0]
    assert (budget["budget"], budget["committed"], budget["left"]) == (
        "500000.00",
        "0.00",
        "500000.00",
    )


async def test_comparing_revisions_shows_no_change_of_form_only(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    application_id = await flow.draft(
        applications, await flow.organisation(applications), round_id, **_loosely_written()
    )
    await flow.submitted_in_review(applications, application_id)
    changes = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "request_changes", "reason": "Sachbericht ergänzen"},
        headers=flow.APPROVER,
    )
    assert changes.status_code == 200, changes.text
    revised = {**flow.content("80000.00"), "third_party_contribution": "0", "place": "Kirchhain"}
    resubmitted = await applications.post(f"/applications/{application_id}/resubmit", json=revised)
    assert resubmitted.status_code == 200, resubmitted.text
    diff = (
        await applications.get(
            f"/applications/{application_id}/revisions/compare", params={"from": 1, "to": 2}
        )
    ).json()
    assert [c["field"] for c in diff["changes"]] == ["place"]
    revisions = (await applications.get(f"/applications/{application_id}/revisions")).json()
    assert {r["content"]["third_party_contribution"] for r in revisions} == {"0.00"}
