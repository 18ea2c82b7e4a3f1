"""Appeals, payments, change requests, reports and reclaims over HTTP on the dev server.

The month-long timers themselves are crossed on the time-skipping server in
tests/workflows/test_grant_application_workflow.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from tests import grant_flows as flow


async def _approved(client: httpx.AsyncClient, **round_fields: Any) -> str:
    round_id = await flow.open_round(client, **round_fields)
    application_id = await flow.draft(client, await flow.organisation(client), round_id)
    await flow.submitted_in_review(client, application_id)
    await flow.reviewed(client, application_id)
    approved = await flow.approve(client, application_id, "75000.00")
    assert approved.status_code == 200, approved.text
    return application_id


async def test_appeal_inside_the_window_reopens_the_review(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    application_id = await flow.draft(applications, await flow.organisation(applications), round_id)
    await flow.submitted_in_review(applications, application_id)
    await flow.reviewed(applications, application_id, recommendation="reject")
    rejected = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "reject", "reason": "Bedarf nicht belegt"},
        headers=flow.APPROVER,
    )
    assert rejected.json()["stage"] == "rejected"
    appealed = await applications.post(
        f"/applications/{application_id}/appeal",
        headers=await flow.applicant(applications, application_id),
    )
    assert appealed.status_code == 200, appealed.text
    assert appealed.json()["stage"] == "in_review"
    twice = await applications.post(f"/applications/{application_id}/appeal")
    assert twice.status_code == 409
    await applications.post(
        f"/applications/{application_id}/review",
        json={"scores": flow.FULL_SCORES, "recommendation": "approve"},
        headers=flow.REVIEWER,
    )
    assert (await flow.approve(applications, application_id, "70000.00")).status_code == 200
    body = await flow.stage(applications, application_id, "active")
    assert body["decision_final"] is True
    types = [e["type"].rsplit(".", 1)[1] for e in body["history"]]
    assert types[-5:] == [
        "appeal_lodged",
        "reviewed",
        "approved",
        "decision_final",
        "funding_started",
    ]


async def test_appeal_after_the_window_is_refused(applications: httpx.AsyncClient) -> None:
    application_id = await _approved(applications, deadlines={"appeal_window_days": 0})
    body = await flow.stage(applications, application_id, "active")
    assert body["decision_final"] is True
    late = await applications.post(f"/applications/{application_id}/appeal")
    assert late.status_code == 409
    assert "active" in late.json()["detail"]


async def test_payments_reports_and_reclaim(applications: httpx.AsyncClient) -> None:
    application_id = await _approved(applications)
    await flow.funded(applications, application_id)
    path = f"/applications/{application_id}"
    too_much = await applications.post(
        f"{path}/payments",
        json={"amount": "75000.01"},
        headers=await flow.applicant(applications, application_id),
    )
    assert too_much.status_code == 422
    assert "exceeds what remains" in too_much.json()["detail"]
    requested = await applications.post(
        f"{path}/payments",
        json={"amount": "50000.00"},
        headers=await flow.applicant(applications, application_id),
    )
    payment_id = requested.json()["payments"][0]["id"]
    paid = await applications.post(f"{path}/payments/{payment_id}/decision", json={"approve": True})
    assert paid.json()["paid_amount"] == "50000.00"
    assert paid.json()["payments"][0]["status"] == "approved"

    report = await applications.post(
        f"{path}/final-report",
        json={
            "spent_amount": "42000.00",
            "summary": "Sachbericht …",
            "actual_costs": [
                {"category": "personnel", "description": "Stelle", "amount": "42000.00"}
            ],
        },
        headers=await flow.applicant(applications, application_id),
    )
    assert report.json()["stage"] == "report_submitted", report.text
    reclaim = await applications.post(
        f"{path}/final-report/review",
        json={"outcome": "reclaim", "reclaim_amount": "8000.00", "reason": "nicht verausgabt"},
    )
    assert reclaim.json()["stage"] == "reclaim"
    assert reclaim.json()["reclaim_amount"] == "8000.00"
    over = await applications.post(f"{path}/repayments", json={"amount": "9000.00"})
    assert over.status_code == 422
    closed = await applications.post(f"{path}/repayments", json={"amount": "8000.00"})
    assert closed.json()["stage"] == "closed"
    assert closed.json()["repaid_amount"] == "8000.00"


async def test_extension_moves_the_report_deadline(applications: httpx.AsyncClient) -> None:
    application_id = await _approved(applications)
    before = await flow.funded(applications, application_id)
    path = f"/applications/{application_id}"
    end = date.fromisoformat(before["funding_period_end"])
    new_end = end.replace(year=end.year + 1)
    requested = await applications.post(
        f"{path}/change-requests",
        json={
            "kind": "extension",
            "new_period_end": new_end.isoformat(),
            "reason": "Stellenbesetzung verzögert",
        },
        headers=await flow.applicant(applications, application_id),
    )
    assert requested.status_code == 200, requested.text
    change_id = requested.json()["history"][-1]["data"]["change_id"]
    own = await applications.post(
        f"{path}/change-requests/{change_id}/decision",
        json={"approve": True},
        headers=await flow.applicant(applications, application_id),
    )
    assert own.status_code == 403  # applicants never decide change requests
    decided = await applications.post(
        f"{path}/change-requests/{change_id}/decision", json={"approve": True}
    )
    assert decided.json()["funding_period_end"] == new_end.isoformat()
    assert decided.json()["final_report_due_at"] > before["final_report_due_at"]


async def test_the_bescheid_is_kept_as_issued(applications: httpx.AsyncClient) -> None:
    application_id = await _approved(applications)
    issued = (await applications.get(f"/applications/{application_id}/bescheid")).text
    assert "75.000,00 EUR" in issued and "ANBest-GK" in issued
    assert "Zwischennachweis" in issued or "Verwendungsnachweis" in issued
    before = await flow.funded(applications, application_id)
    end = date.fromisoformat(before["funding_period_end"])
    path = f"/applications/{application_id}"
    requested = await applications.post(
        f"{path}/change-requests",
        json={
            "kind": "extension",
            "new_period_end": end.replace(year=end.year + 1).isoformat(),
            "reason": "später begonnen",
        },
        headers=await flow.applicant(applications, application_id),
    )
    change_id = requested.json()["history"][-1]["data"]["change_id"]
    await applications.post(f"{path}/change-requests/{change_id}/decision", json={"approve": True})
    assert (await applications.get(f"{path}/bescheid")).text == issued
