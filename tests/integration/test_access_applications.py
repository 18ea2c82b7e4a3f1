"""Who may do what in the applications and notifications services, over real HTTP:
no token → 401 on every endpoint, the wrong role → 403, another organisation's application
→ 404 (its existence is not revealed), reviewers see only what is assigned to them."""

from __future__ import annotations

import re

import httpx
import pytest

from shared.auth import Role
from tests import auth
from tests import grant_flows as flow

PUBLIC = {("GET", "/health"), ("GET", "/openapi.json")}


def _endpoints(openapi: dict[str, object]) -> list[tuple[str, str]]:
    paths = openapi["paths"]
    assert isinstance(paths, dict)
    found = []
    for path, operations in paths.items():
        for method in operations:
            if path.startswith("/events"):  # the public event catalogue
                continue
            if (method.upper(), path) not in PUBLIC:
                found.append((method.upper(), re.sub(r"\{[^}]+\}", "x1", path)))
    return found


@pytest.mark.parametrize("service", ["applications", "notifications"])
async def test_every_endpoint_needs_a_token(
    service: str, applications_url: str, notifications_url: str
) -> None:
    url = applications_url if service == "applications" else notifications_url
    async with httpx.AsyncClient(base_url=url, timeout=30) as anonymous:
        openapi = (await anonymous.get("/openapi.json")).json()
        endpoints = _endpoints(openapi)
        assert len(endpoints) > 10
        for method, path in endpoints:
            response = await anonymous.request(method, path, json={})
            assert response.status_code == 401, (method, path, response.text)
            assert response.headers["www-authenticate"] == "Bearer"
            assert response.headers["content-type"].startswith("application/problem+json")
        forged = {"Authorization": "Bearer not.a.token"}
        assert (await anonymous.get(endpoints[0][1], headers=forged)).status_code == 401
        # the event catalogue and health stay public
        assert (await anonymous.get("/health")).status_code == 200
        assert (await anonymous.get("/events/schemas")).status_code == 200


async def test_wrong_role_is_forbidden(
    applications: httpx.AsyncClient, notifications: httpx.AsyncClient
) -> None:
    case_manager = auth.headers("anna.cm", Role.case_manager)
    operator = auth.headers("olaf.operator", Role.operator)
    provider = auth.headers("provider.vhs", Role.provider, provider="vhs")
    for headers in (case_manager, operator, provider):
        assert (await applications.get("/applications", headers=headers)).status_code == 403
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications, name="Kassel")
    application_id = await flow.draft(applications, organisation_id, round_id)
    # only approvers decide, only officers run rounds and assign reviewers
    decision = {"decision": "reject", "reason": "nein"}
    path = f"/applications/{application_id}"
    own = await flow.applicant(applications, application_id)
    assert (await applications.post(f"{path}/decision", json=decision)).status_code == 403
    assert (
        await applications.post(f"{path}/decision", json=decision, headers=own)
    ).status_code == 403
    assert (await applications.post(f"/rounds/{round_id}/close", headers=own)).status_code == 403
    assignment = {"reviewer": "rita.reviewer"}
    assert (
        await applications.post(f"{path}/reviewer", json=assignment, headers=flow.APPROVER)
    ).status_code == 403
    # reviews are internal: the applicant does not read the scores
    assert (await applications.get(f"{path}/reviews", headers=own)).status_code == 403
    # the notifications' delivery log and recipients are for operators
    for route in ("/deliveries", "/recipients", "/webhooks", "/dead-letters"):
        response = await notifications.get(route, headers=case_manager)
        assert response.status_code == 403, route
        assert (await notifications.get(route, headers=operator)).status_code == 200


async def test_applicants_see_and_act_only_for_their_organisation(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    mine = await flow.organisation(applications, name="Gießen")
    theirs = await flow.organisation(applications, name="Fulda")
    my_application = await flow.draft(applications, mine, round_id)
    their_application = await flow.draft(applications, theirs, round_id)
    me = auth.headers("kontakt.giessen", Role.applicant, organisation=mine)

    listed = (await applications.get("/applications", headers=me)).json()
    assert {a["id"] for a in listed["items"]} == {my_application}
    # asking for the other organisation's list still shows only one's own
    filtered = await applications.get(
        "/applications", params={"organisation_id": theirs}, headers=me
    )
    assert {a["id"] for a in filtered.json()["items"]} <= {my_application}
    assert (
        await applications.get(f"/applications/{my_application}", headers=me)
    ).status_code == 200
    hidden = await applications.get(f"/applications/{their_application}", headers=me)
    missing = await applications.get("/applications/no-such-application", headers=me)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(their_application, "X") == missing.json()[
        "detail"
    ].replace("no-such-application", "X")
    for action in ("submit", "appeal", "appeal-waiver"):
        response = await applications.post(
            f"/applications/{their_application}/{action}", headers=me
        )
        assert response.status_code == 404, action
    foreign_draft = await applications.post(
        "/applications",
        json={"round_id": round_id, "organisation_id": theirs, "priority_code": "coordination"}
        | flow.content(),
        headers=me,
    )
    assert foreign_draft.status_code == 403
    organisations = (await applications.get("/organisations", headers=me)).json()
    assert [o["id"] for o in organisations["items"]] == [mine]
    assert (await applications.get(f"/organisations/{theirs}", headers=me)).status_code == 404
    # their own submission works
    submitted = await applications.post(f"/applications/{my_application}/submit", headers=me)
    assert submitted.status_code == 202, submitted.text


async def test_reviewers_see_only_what_is_assigned_to_them(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications, name="Lahn-Dill-Kreis")
    assigned = await flow.draft(applications, organisation_id, round_id)
    other = await flow.draft(applications, organisation_id, round_id)
    for application_id in (assigned, other):
        await flow.submitted_in_review(applications, application_id)
    answer = await applications.post(
        f"/applications/{assigned}/reviewer", json={"reviewer": "rita.reviewer"}
    )
    assert answer.status_code == 200, answer.text
    listed = (await applications.get("/applications", headers=flow.REVIEWER)).json()
    assert assigned in {a["id"] for a in listed["items"]}
    assert other not in {a["id"] for a in listed["items"]}
    assert (
        await applications.get(f"/applications/{other}", headers=flow.REVIEWER)
    ).status_code == 404
    assert (
        await applications.get(f"/applications/{assigned}/reviews", headers=flow.REVIEWER)
    ).status_code == 200
    # a reviewer declares their own conflicts, not someone else's
    conflict = {"organisation_id": organisation_id, "reason": "Vorstand im Verein"}
    own = await applications.post(
        "/reviewers/rita.reviewer/conflicts", json=conflict, headers=flow.REVIEWER
    )
    assert own.status_code == 201, own.text
    foreign = await applications.post(
        "/reviewers/rolf.reviewer/conflicts", json=conflict, headers=flow.REVIEWER
    )
    assert foreign.status_code == 403


async def test_applicants_do_not_see_the_review(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications, name="Vogelsbergkreis")
    application_id = await flow.draft(applications, organisation_id, round_id)
    await flow.submitted_in_review(applications, application_id)
    await flow.reviewed(applications, application_id)
    own = await flow.applicant(applications, application_id)
    path = f"/applications/{application_id}"

    staff_view = (await applications.get(path)).json()
    assert staff_view["review_score"] == 80 and staff_view["reviewer"] == "rita.reviewer"
    seen = (await applications.get(path, headers=own)).json()
    assert seen["reviewer"] is seen["review_score"] is seen["recommendation"] is None
    types = {entry["type"] for entry in seen["history"]}
    assert "wir.application.reviewed" not in types
    assert "wir.application.reviewer_assigned" not in types
    assert "wir.application.submitted" in types
    assert "rita.reviewer" not in (await applications.get(path, headers=own)).text
    listed = (await applications.get("/applications", headers=own)).json()["items"]
    assert [item["reviewer"] for item in listed] == [None]
    # the answer to the applicant's own command is redacted alike
    waived = await applications.post(f"{path}/appeal-waiver", headers=own)
    assert waived.status_code == 409  # not decided yet
    withdrawn = await applications.post(
        f"{path}/withdraw", json={"reason": "zurückgezogen"}, headers=own
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["review_score"] is None
    assert "rita.reviewer" not in withdrawn.text
