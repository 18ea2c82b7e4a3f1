"""The bounds of a round's dates and deadlines, of an extension and of reviewer assignment,
over HTTP: what the programme cannot mean is refused (422) before any workflow sees it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from shared.auth import Role
from tests import auth
from tests import grant_flows as flow

WEDGING_ROUNDS: list[dict[str, Any]] = [
    {"deadlines": {"review_sla_days": 1_000_000_000}},
    {"deadlines": {"review_sla_days": 731}},
    {"deadlines": {"reminder_offsets_days": [1_000_000_000]}},
    {"deadlines": {"reminder_offsets_days": [-400]}},
    {"deadlines": {"reminder_offsets_days": [0]}},
    {"deadlines": {"reminder_offsets_days": [7, 7]}},
    {"deadlines": {"reminder_offsets_days": list(range(1, 12))}},
    {"deadlines": {"appeal_window_days": 10**9}},
    {"deadlines": {"report_grace_days": 366}},
    {"deadlines": {"final_report_months": 61}},
    {"deadlines": {"unknown": 1}},
    {"period_latest_end": "9999-12-31"},
    {"period_earliest_start": "1999-12-31"},
    {"submission_closes_at": "9999-12-31T00:00:00Z"},
]


@pytest.mark.parametrize("fields", WEDGING_ROUNDS, ids=lambda f: str(f)[:60])
async def test_a_round_beyond_what_the_programme_means_is_refused(
    applications: httpx.AsyncClient, fields: dict[str, Any]
) -> None:
    body: dict[str, Any] = {
        "id": f"b{uuid.uuid4().hex[:10]}",
        "title": "Grenzen",
        "submission_opens_at": "2027-01-01T00:00:00Z",
        "submission_closes_at": "2027-03-01T00:00:00Z",
        "period_earliest_start": "2027-04-01",
        "period_latest_end": "2030-12-31",
        "budgets": {"coordination": "100000.00"},
        **fields,
    }
    response = await applications.post("/rounds", json=body)
    assert response.status_code == 422, response.text


async def test_a_round_at_the_bounds_is_accepted(applications: httpx.AsyncClient) -> None:
    deadlines = {
        "final_report_months": 60,
        "reminder_offsets_days": [365, *range(1, 10)],
        "report_grace_days": 365,
        "appeal_window_days": 365,
        "review_sla_days": 730,
    }
    round_id = await flow.open_round(
        applications, deadlines=deadlines, period_latest_end="2099-12-31"
    )
    got = (await applications.get(f"/rounds/{round_id}")).json()
    assert got["deadlines"]["review_sla_days"] == 730
    assert got["period_latest_end"] == "2099-12-31"


async def test_an_extension_beyond_the_rounds_period_is_refused(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    round_end = date.fromisoformat(
        (await applications.get(f"/rounds/{round_id}")).json()["period_latest_end"]
    )
    application_id = await flow.draft(applications, await flow.organisation(applications), round_id)
    await flow.submitted_in_review(applications, application_id)
    await flow.reviewed(applications, application_id)
    assert (await flow.approve(applications, application_id, "70000.00")).status_code == 200
    await flow.funded(applications, application_id)
    path = f"/applications/{application_id}/change-requests"
    headers = await flow.applicant(applications, application_id)

    async def extend(to: date | str) -> httpx.Response:
        body = {"kind": "extension", "new_period_end": str(to), "reason": "später begonnen"}
        return await applications.post(path, json=body, headers=headers)

    beyond = await extend(round_end + timedelta(days=1))
    assert beyond.status_code == 422, beyond.text
    assert str(round_end) in beyond.json()["detail"]
    assert (await extend("9999-12-31")).status_code == 422
    inside = await extend(round_end)
    assert inside.status_code == 200, inside.text


async def test_an_officer_with_the_reviewer_role_may_not_assign_themself(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    application_id = await flow.draft(applications, await flow.organisation(applications), round_id)
    await flow.submitted_in_review(applications, application_id)
    both = auth.headers("paula.officer", Role.programme_officer, Role.reviewer)
    path = f"/applications/{application_id}/reviewer"
    itself = await applications.post(path, json={"reviewer": "paula.officer"}, headers=both)
    assert itself.status_code == 422, itself.text
    assert "themself" in itself.json()["detail"]
    other = await applications.post(path, json={"reviewer": "rita.reviewer"}, headers=both)
    assert other.status_code == 200, other.text
