"""The applications service over HTTP against real Temporal, NATS and database."""

from __future__ import annotations

from typing import Any

import httpx

from tests.servers import eventually


async def _organisation(client: httpx.AsyncClient, **fields: Any) -> str:
    body = {"name": "Landkreis Beispiel", "applicant_type": "district", **fields}
    response = await client.post("/organisations", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _draft(client: httpx.AsyncClient, organisation_id: str, **fields: Any) -> str:
    body = {
        "organisation_id": organisation_id,
        "priority_code": "coordination",
        "title": "WIR-Koordination 2027",
        "requested_amount": "80000.00",
        **fields,
    }
    response = await client.post("/applications", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["stage"] == "draft"
    return str(response.json()["id"])


async def _stage(client: httpx.AsyncClient, application_id: str, stage: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(f"/applications/{application_id}")).json()
        return body if body["stage"] == stage else None

    return await eventually(probe)


async def test_priorities_catalogue_is_seeded(applications: httpx.AsyncClient) -> None:
    response = await applications.get("/priorities")
    assert response.status_code == 200
    codes = [p["code"] for p in response.json()]
    assert codes[0] == "coordination" and codes[-1] == "diversity_strategy" and len(codes) == 9
    rule = (await applications.get("/priorities/diversity_strategy")).json()["rule"]
    assert rule["min_population"] == 10_000 and rule["max_population"] == 50_000


async def test_application_from_draft_to_closed(applications: httpx.AsyncClient) -> None:
    application_id = await _draft(applications, await _organisation(applications))
    submitted = await applications.post(f"/applications/{application_id}/submit")
    assert submitted.status_code == 202, submitted.text
    await _stage(applications, application_id, "in_review")

    too_much = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "approve", "granted_amount": "90000.00"},
        headers={"X-WIR-User": "jonas.approver"},
    )
    assert too_much.status_code == 422
    assert "exceeds the requested amount" in too_much.json()["detail"]

    approved = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "approve", "granted_amount": "75000.00"},
        headers={"X-WIR-User": "jonas.approver"},
    )
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["stage"] == "approved"
    assert body["granted_amount"] == "75000.00"
    assert body["final_report_due_at"] is not None
    assert body["history"][-1]["actor"] == "jonas.approver"

    # a decision cannot be taken twice
    again = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "reject", "reason": "changed my mind"},
    )
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert "approved" in again.json()["detail"]

    report = await applications.post(
        f"/applications/{application_id}/final-report", json={"spent_amount": "74000.00"}
    )
    assert report.status_code == 200, report.text
    closed = await applications.post(f"/applications/{application_id}/final-report/acceptance")
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["stage"] == "closed"
    types = [entry["type"] for entry in body["history"]]
    assert types == [
        "wir.application.submitted",
        "wir.application.review_started",
        "wir.application.approved",
        "wir.application.report_submitted",
        "wir.application.closed",
    ]


async def test_ineligible_application_gets_reasons(applications: httpx.AsyncClient) -> None:
    organisation_id = await _organisation(
        applications, name="Gemeinde Klein", applicant_type="municipality", population=9_999
    )
    application_id = await _draft(applications, organisation_id, priority_code="diversity_strategy")
    assert (await applications.post(f"/applications/{application_id}/submit")).status_code == 202
    body = await _stage(applications, application_id, "ineligible")
    assert body["ineligible_reasons"] == ["population 9999 is below the minimum of 10000"]


async def test_changes_requested_then_resubmitted_then_withdrawn(
    applications: httpx.AsyncClient,
) -> None:
    application_id = await _draft(applications, await _organisation(applications))
    await applications.post(f"/applications/{application_id}/submit")
    await _stage(applications, application_id, "in_review")
    changes = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "request_changes", "reason": "cost plan incomplete"},
    )
    assert changes.json()["stage"] == "changes_requested"
    resubmitted = await applications.post(
        f"/applications/{application_id}/resubmit", json={"requested_amount": "70000.00"}
    )
    assert resubmitted.json()["stage"] == "in_review"
    assert resubmitted.json()["requested_amount"] == "70000.00"
    withdrawn = await applications.post(
        f"/applications/{application_id}/withdraw", json={"reason": "project cancelled"}
    )
    assert withdrawn.json()["stage"] == "withdrawn"
    late = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "approve", "granted_amount": "1.00"},
    )
    assert late.status_code == 409


async def test_repeated_submit_starts_no_second_workflow(applications: httpx.AsyncClient) -> None:
    application_id = await _draft(applications, await _organisation(applications))
    first = await applications.post(f"/applications/{application_id}/submit")
    second = await applications.post(f"/applications/{application_id}/submit")
    assert first.status_code == 202
    assert second.status_code == 409
    body = await _stage(applications, application_id, "in_review")
    assert [e["type"] for e in body["history"]].count("wir.application.submitted") == 1


async def test_bad_input_is_refused_without_change(applications: httpx.AsyncClient) -> None:
    organisation_id = await _organisation(applications)
    malformed = await applications.post(
        "/applications",
        json={
            "organisation_id": organisation_id,
            "priority_code": "coordination",
            "title": "",
            "requested_amount": "-5",
        },
    )
    assert malformed.status_code == 422
    fields = {tuple(e["loc"]) for e in malformed.json()["errors"]}
    assert ("body", "title") in fields and ("body", "requested_amount") in fields

    unknown = await applications.get("/applications/does-not-exist")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")

    no_user = await applications.post(
        "/organisations",
        json={"name": "X", "applicant_type": "district"},
        headers={"X-WIR-User": ""},
    )
    assert no_user.status_code == 401

    before = (
        await applications.get("/applications", params={"organisation_id": organisation_id})
    ).json()
    draft_decision = await applications.post(
        f"/applications/{await _draft(applications, organisation_id)}/decision",
        json={"decision": "reject", "reason": "no"},
    )
    assert draft_decision.status_code == 409
    assert "draft" in draft_decision.json()["detail"]
    after = (
        await applications.get("/applications", params={"organisation_id": organisation_id})
    ).json()
    assert after["total"] == before["total"] + 1  # only the draft itself was added


async def test_list_filters_and_pagination(applications: httpx.AsyncClient) -> None:
    organisation_id = await _organisation(
        applications, name="Stadt Offenbach", applicant_type="special_status_city"
    )
    ids = [await _draft(applications, organisation_id, title=f"Projekt {i}") for i in range(3)]
    page = (
        await applications.get(
            "/applications", params={"organisation_id": organisation_id, "limit": 2, "offset": 0}
        )
    ).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["limit"] == 2
    rest = (
        await applications.get(
            "/applications", params={"organisation_id": organisation_id, "limit": 2, "offset": 2}
        )
    ).json()
    assert {i["id"] for i in page["items"] + rest["items"]} == set(ids)
    by_type = (
        await applications.get(
            "/applications", params={"applicant_type": "special_status_city", "stage": "draft"}
        )
    ).json()
    assert set(ids) <= {i["id"] for i in by_type["items"]}
    bad = await applications.get("/applications", params={"stage": "nonsense"})
    assert bad.status_code == 422
