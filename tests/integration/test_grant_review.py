"""Rounds, review, four-eyes, budgets and revisions over HTTP on the real dev server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx

from shared.auth import Role
from tests import auth
from tests import grant_flows as flow


async def _in_review(client: httpx.AsyncClient, round_id: str, requested: str = "60000.00") -> str:
    application_id = await flow.draft(
        client, await flow.organisation(client), round_id, requested=requested
    )
    await flow.submitted_in_review(client, application_id)
    return application_id


async def test_submission_only_inside_an_open_rounds_window(
    applications: httpx.AsyncClient,
) -> None:
    now = datetime.now(UTC)
    later = await applications.post(
        "/rounds",
        json={
            "id": f"future-{now.timestamp():.0f}",
            "title": "Aufruf 2028",
            "submission_opens_at": (now + timedelta(days=30)).isoformat(),
            "submission_closes_at": (now + timedelta(days=60)).isoformat(),
            "period_earliest_start": now.date().isoformat(),
            "period_latest_end": (now + timedelta(days=900)).date().isoformat(),
            "budgets": {"coordination": "50000.00"},
        },
    )
    assert later.status_code == 201, later.text
    round_id = later.json()["id"]
    application_id = await flow.draft(applications, await flow.organisation(applications), round_id)
    draft_round = await applications.post(f"/applications/{application_id}/submit")
    assert draft_round.status_code == 409
    assert "is draft" in draft_round.json()["detail"]
    await applications.post(f"/rounds/{round_id}/open")
    too_early = await applications.post(f"/applications/{application_id}/submit")
    assert too_early.status_code == 409
    assert "accepts submissions from" in too_early.json()["detail"]
    body = (await applications.get(f"/applications/{application_id}")).json()
    assert body["stage"] == "draft"

    unfunded = await applications.post(
        "/applications",
        json={
            "organisation_id": body["organisation_id"],
            "round_id": round_id,
            "priority_code": "welcome_culture",
            **flow.content(),
        },
    )
    assert unfunded.status_code == 422
    assert "no budget for priority welcome_culture" in unfunded.json()["detail"]


async def test_reviewer_with_conflict_cannot_be_assigned(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications, name="Werra-Meißner-Kreis")
    application_id = await flow.draft(applications, organisation_id, round_id)
    await flow.submitted_in_review(applications, application_id)
    declared = await applications.post(
        "/reviewers/carla.reviewer/conflicts",
        json={"organisation_id": organisation_id, "reason": "former employee of the applicant"},
    )
    assert declared.status_code == 201
    refused = await applications.post(
        f"/applications/{application_id}/reviewer", json={"reviewer": "carla.reviewer"}
    )
    assert refused.status_code == 409
    assert "former employee of the applicant" in refused.json()["detail"]
    body = (await applications.get(f"/applications/{application_id}")).json()
    assert body["reviewer"] is None


async def test_four_eyes_and_scores(applications: httpx.AsyncClient) -> None:
    application_id = await _in_review(applications, await flow.open_round(applications))
    unreviewed = await flow.approve(applications, application_id, "50000.00")
    assert unreviewed.status_code == 422
    assert "review first" in unreviewed.json()["detail"]
    await applications.post(
        f"/applications/{application_id}/reviewer", json={"reviewer": "rita.reviewer"}
    )
    not_the_reviewer = await applications.post(
        f"/applications/{application_id}/review",
        json={"scores": flow.FULL_SCORES, "recommendation": "approve"},
        headers=flow.APPROVER,
    )
    assert not_the_reviewer.status_code == 403  # an approver holds no reviewer role
    other_reviewer = await applications.post(
        f"/applications/{application_id}/review",
        json={"scores": flow.FULL_SCORES, "recommendation": "approve"},
        headers=auth.headers("rolf.reviewer", Role.reviewer),
    )
    assert other_reviewer.status_code == 404  # not assigned: invisible to this reviewer
    too_many = await applications.post(
        f"/applications/{application_id}/review",
        json={"scores": {**flow.FULL_SCORES, "need": 31}, "recommendation": "approve"},
        headers=flow.REVIEWER,
    )
    assert too_many.status_code == 422 and "need (31 > 30)" in too_many.json()["detail"]
    scored = await applications.post(
        f"/applications/{application_id}/review",
        json={"scores": flow.FULL_SCORES, "recommendation": "approve"},
        headers=flow.REVIEWER,
    )
    assert scored.json()["review_score"] == 80 and scored.json()["review_max_score"] == 100
    decision = {"decision": "approve", "granted_amount": "50000.00"}
    path = f"/applications/{application_id}/decision"
    reviewer_only = await applications.post(path, json=decision, headers=flow.REVIEWER)
    assert reviewer_only.status_code == 403  # deciding needs the approver role
    # a user holding both roles still may not decide what they reviewed
    both = auth.headers("rita.reviewer", Role.reviewer, Role.approver)
    own_review = await applications.post(path, json=decision, headers=both)
    assert own_review.status_code == 422
    assert "may not also decide (four-eyes)" in own_review.json()["detail"]
    approved = await flow.approve(applications, application_id, "50000.00")
    assert approved.status_code == 200, approved.text
    assert approved.json()["stage"] == "approved"
    assert approved.json()["decided_by"] == "jonas.approver"


async def test_four_eyes_is_refused_before_the_budget_is_looked_at(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications, budgets={"coordination": "10000.00"})
    application_id = await _in_review(applications, round_id)  # 60000 requested
    path = f"/applications/{application_id}/decision"
    decision = {"decision": "approve", "granted_amount": "50000.00"}  # more than is left
    unreviewed = await applications.post(path, json=decision, headers=flow.APPROVER)
    assert unreviewed.status_code == 422, unreviewed.text
    assert "review first" in unreviewed.json()["detail"]
    await flow.reviewed(applications, application_id)
    both = auth.headers("rita.reviewer", Role.reviewer, Role.approver)
    own_review = await applications.post(path, json=decision, headers=both)
    assert own_review.status_code == 422, own_review.text
    assert "may not also decide (four-eyes)" in own_review.json()["detail"]
    too_much = await applications.post(
        path, json={**decision, "granted_amount": "70000.00"}, headers=flow.APPROVER
    )
    assert too_much.status_code == 422 and "exceeds the requested amount" in too_much.text
    exhausted = await flow.approve(applications, application_id, "50000.00")
    assert exhausted.status_code == 409 and exhausted.json()["title"] == "Budget exhausted"
    budget = (await applications.get(f"/rounds/{round_id}")).json()["budgets"][0]
    assert budget["committed"] == "0.00"


async def test_concurrent_approvals_never_overcommit_the_budget(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications, budgets={"coordination": "100000.00"})
    first, second = [await _in_review(applications, round_id) for _ in range(2)]
    for application_id in (first, second):
        await flow.reviewed(applications, application_id)
    responses = await asyncio.gather(
        flow.approve(applications, first, "60000.00"),
        flow.approve(applications, second, "60000.00"),
    )
    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409)
    assert "Budget exhausted" in refused.json()["title"]
    budget = (await applications.get(f"/rounds/{round_id}")).json()["budgets"][0]
    assert budget["committed"] == "60000.00" and budget["left"] == "40000.00"


async def test_rejection_and_a_refused_approval_leave_the_budget_untouched(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications, budgets={"coordination": "100000.00"})
    application_id = await _in_review(applications, round_id)
    await flow.reviewed(applications, application_id)
    too_much = await flow.approve(applications, application_id, "70000.00")  # requested 60000
    assert too_much.status_code == 422
    budget = (await applications.get(f"/rounds/{round_id}")).json()["budgets"][0]
    assert budget["committed"] == "0.00"
    rejected = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "reject", "reason": "Konzept nicht tragfähig"},
        headers=flow.APPROVER,
    )
    assert rejected.json()["stage"] == "rejected"
    budget = (await applications.get(f"/rounds/{round_id}")).json()["budgets"][0]
    assert budget["committed"] == "0.00"


async def test_revisions_are_kept_and_comparable(applications: httpx.AsyncClient) -> None:
    application_id = await _in_review(applications, await flow.open_round(applications))
    changes = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "request_changes", "reason": "Kostenplan präzisieren"},
        headers=flow.APPROVER,
    )
    assert changes.json()["stage"] == "changes_requested"
    revised = flow.content("55000.00", title="WIR-Koordination (überarbeitet)")
    resubmitted = await applications.post(f"/applications/{application_id}/resubmit", json=revised)
    assert resubmitted.status_code == 200, resubmitted.text
    assert resubmitted.json()["stage"] == "in_review"
    assert resubmitted.json()["revision"] == 2
    revisions = (await applications.get(f"/applications/{application_id}/revisions")).json()
    assert [r["number"] for r in revisions] == [1, 2]
    diff = (
        await applications.get(
            f"/applications/{application_id}/revisions/compare", params={"from": 1, "to": 2}
        )
    ).json()
    changed = {c["field"] for c in diff["changes"]}
    assert {"title", "requested_amount", "cost_lines", "own_contribution"} <= changed
    assert "place" not in changed


async def test_a_round_can_set_its_own_eligibility_rule(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(
        applications,
        budgets={"refugee_women": "90000.00"},
        rules={"refugee_women": {"applicant_types": ["migrant_org"]}},
    )
    round_view = (await applications.get(f"/rounds/{round_id}")).json()
    assert round_view["budgets"][0]["rule"]["applicant_types"] == ["migrant_org"]
    application_id = await flow.draft(
        applications, await flow.organisation(applications), round_id, priority="refugee_women"
    )
    await applications.post(f"/applications/{application_id}/submit")
    body = await flow.stage(applications, application_id, "ineligible")
    assert "eligible: migrant_org" in body["ineligible_reasons"][0]


async def test_review_criteria_are_data(applications: httpx.AsyncClient) -> None:
    criteria = [
        {"code": "need", "title": "Bedarf", "max_points": 50},
        {"code": "women", "title": "Reichweite bei Frauen", "max_points": 50},
    ]
    updated = await applications.put(
        "/priorities/southeast_europe/criteria", json={"criteria": criteria}
    )
    assert updated.status_code == 200
    assert [c["code"] for c in updated.json()["criteria"]] == ["need", "women"]
    duplicate = await applications.put(
        "/priorities/southeast_europe/criteria", json={"criteria": criteria[:1] * 2}
    )
    assert duplicate.status_code == 422


async def test_a_repeated_review_is_stored_once(applications: httpx.AsyncClient) -> None:
    application_id = await _in_review(applications, await flow.open_round(applications))
    path = f"/applications/{application_id}"
    assigned = await applications.post(f"{path}/reviewer", json={"reviewer": "rita.reviewer"})
    assert assigned.status_code == 200, assigned.text
    body = {"scores": flow.FULL_SCORES, "recommendation": "approve", "comment": "gut"}
    headers = {**flow.REVIEWER, "Idempotency-Key": "review-of-rita"}
    first = await applications.post(f"{path}/review", json=body, headers=headers)
    again = await applications.post(f"{path}/review", json=body, headers=headers)
    assert first.status_code == again.status_code == 200, again.text
    assert first.json()["history"] == again.json()["history"]
    reviews = (await applications.get(f"{path}/reviews")).json()
    assert len(reviews) == 1 and reviews[0]["reviewer"] == "rita.reviewer"
