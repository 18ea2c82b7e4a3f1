"""The applications service over HTTP: catalogue, organisations, drafts, lists, bad input."""

from __future__ import annotations

import httpx

from tests import grant_flows as flow


async def test_priorities_catalogue_is_seeded_with_criteria(
    applications: httpx.AsyncClient,
) -> None:
    response = await applications.get("/priorities")
    assert response.status_code == 200
    codes = [p["code"] for p in response.json()]
    assert codes[0] == "coordination" and codes[-1] == "diversity_strategy" and len(codes) == 9
    priority = (await applications.get("/priorities/diversity_strategy")).json()
    assert priority["rule"]["min_population"] == 10_000
    assert sum(c["max_points"] for c in priority["criteria"]) == 100


async def test_districts_and_cities_must_be_among_the_33(applications: httpx.AsyncClient) -> None:
    unknown = await applications.post(
        "/organisations", json={"name": "Landkreis Atlantis", "applicant_type": "district"}
    )
    assert unknown.status_code == 422
    assert "regional-bodies" in unknown.json()["detail"]
    assert await flow.organisation(applications, name="Landkreis Fulda")
    assert await flow.organisation(applications, name="Fulda", applicant_type="special_status_city")


async def test_ineligible_application_gets_reasons(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(
        applications, name="Gemeinde Klein", applicant_type="municipality", population=9_999
    )
    application_id = await flow.draft(
        applications, organisation_id, round_id, priority="diversity_strategy"
    )
    assert (await applications.post(f"/applications/{application_id}/submit")).status_code == 202
    body = await flow.stage(applications, application_id, "ineligible")
    assert body["ineligible_reasons"] == ["population 9999 is below the minimum of 10000"]


async def test_repeated_submit_starts_no_second_workflow(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications)
    application_id = await flow.draft(applications, await flow.organisation(applications), round_id)
    first = await applications.post(f"/applications/{application_id}/submit")
    second = await applications.post(f"/applications/{application_id}/submit")
    assert first.status_code == 202
    assert second.status_code == 409
    body = await flow.stage(applications, application_id, "in_review")
    assert [e["type"] for e in body["history"]].count("wir.application.submitted") == 1


async def test_bad_input_is_refused_without_change(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications)
    malformed = await applications.post(
        "/applications",
        json={
            "organisation_id": organisation_id,
            "round_id": round_id,
            "priority_code": "coordination",
            **flow.content(),
            "title": "",
            "requested_amount": "-5",
        },
    )
    assert malformed.status_code == 422
    fields = {tuple(e["loc"]) for e in malformed.json()["errors"]}
    assert ("body", "title") in fields and ("body", "requested_amount") in fields

    not_adding_up = await applications.post(
        "/applications",
        json={
            "organisation_id": organisation_id,
            "round_id": round_id,
            "priority_code": "coordination",
            **flow.content(),
            "requested_amount": "1.00",
        },
    )
    assert not_adding_up.status_code == 422
    assert "requested_amount must equal total costs" in str(not_adding_up.json()["errors"])

    mini_job = flow.content()
    mini_job["cost_lines"][1]["category"] = "mini_job"
    wrong_priority = await applications.post(
        "/applications",
        json={
            "organisation_id": organisation_id,
            "round_id": round_id,
            "priority_code": "coordination",
            **mini_job,
        },
    )
    assert wrong_priority.status_code == 422
    assert "mini_job" in str(wrong_priority.json()["errors"])

    unknown = await applications.get("/applications/does-not-exist")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")

    no_user = await applications.post(
        "/organisations",
        json={"name": "X", "applicant_type": "public_body"},
        headers={"Authorization": ""},
    )
    assert no_user.status_code == 401

    before = await applications.get("/applications", params={"organisation_id": organisation_id})
    application_id = await flow.draft(applications, organisation_id, round_id)
    draft_decision = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "reject", "reason": "no"},
        headers=flow.APPROVER,
    )
    assert draft_decision.status_code == 409
    assert "draft" in draft_decision.json()["detail"]
    after = await applications.get("/applications", params={"organisation_id": organisation_id})
    assert after.json()["total"] == before.json()["total"] + 1  # only the draft was added


async def test_list_filters_and_pagination(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(
        applications, name="Offenbach am Main", applicant_type="independent_city"
    )
    ids = [
        await flow.draft(applications, organisation_id, round_id, title=f"Projekt {i}")
        for i in range(3)
    ]
    params: dict[str, str | int] = {"organisation_id": organisation_id, "limit": 2, "offset": 0}
    page = (await applications.get("/applications", params=params)).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["limit"] == 2
    rest = (await applications.get("/applications", params={**params, "offset": 2})).json()
    assert {i["id"] for i in page["items"] + rest["items"]} == set(ids)
    by_round = (
        await applications.get(
            "/applications",
            params={"round": round_id, "applicant_type": "independent_city", "stage": "draft"},
        )
    ).json()
    assert {i["id"] for i in by_round["items"]} == set(ids)
    bad = await applications.get("/applications", params={"stage": "nonsense"})
    assert bad.status_code == 422
