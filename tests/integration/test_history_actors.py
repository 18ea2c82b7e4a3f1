"""History entries of events no person caused (a decision becoming final, a deadline, the
erasure) name the actor ``system``, never ``None``; in both services."""

from __future__ import annotations

from typing import Any

import httpx

from tests import grant_flows as flow
from tests.servers import eventually

CONSENT = {"given": True, "purposes": ["case_management"]}


async def test_an_applications_system_events_name_the_system(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications, deadlines={"appeal_window_days": 0})
    application_id = await flow.draft(applications, await flow.organisation(applications), round_id)
    await flow.submitted_in_review(applications, application_id)
    await flow.reviewed(applications, application_id)
    assert (await flow.approve(applications, application_id, "75000.00")).status_code == 200
    body = await flow.stage(applications, application_id, "active")
    actors = {entry["type"].rsplit(".", 1)[1]: entry["actor"] for entry in body["history"]}
    assert actors["decision_final"] == "system" and actors["funding_started"] == "system"
    assert actors["approved"] == "jonas.approver"
    assert None not in actors.values()


async def test_a_cases_system_events_name_the_system(cases: httpx.AsyncClient) -> None:
    person = {"given_name": "Hana", "family_name": "System"}
    opened = await cases.post("/cases", json={"person": person, "consent": CONSENT})
    path = f"/cases/{opened.json()['id']}"
    closed = await cases.post(f"{path}/closure", json={"reason": "consent_withdrawn"})
    assert closed.status_code == 200, closed.text

    async def erased() -> dict[str, Any] | None:
        view: dict[str, Any] = (await cases.get(path)).json()
        return view if any(e["type"] == "wir.case.erasure_due" for e in view["history"]) else None

    view = await eventually(erased, timeout=20)
    actors = {entry["type"].rsplit(".", 1)[1]: entry["actor"] for entry in view["history"]}
    assert actors["erasure_due"] == "system"
    assert None not in actors.values()
