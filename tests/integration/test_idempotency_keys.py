"""Idempotency-Key on the applications service: the same key sent at the same moment is
answered with the first request's result, another body under a used key is refused, and
creations honour the key."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update

from services.applications.applications.models import CommandKey
from shared.db import create_engine
from shared.settings import WirSettings
from tests import grant_flows as flow


def _key() -> str:
    return f"k-{uuid.uuid4()}"


async def _in_review(client: httpx.AsyncClient, round_id: str) -> str:
    application_id = await flow.draft(
        client, await flow.organisation(client), round_id, requested="1000.00"
    )
    await flow.submitted_in_review(client, application_id)
    await flow.reviewed(client, application_id)
    return application_id


def _approvals(body: dict[str, Any]) -> int:
    return [entry["type"].rsplit(".", 1)[1] for entry in body["history"]].count("approved")


async def test_same_key_at_the_same_time_answers_the_first_result(
    applications: httpx.AsyncClient,
) -> None:
    """Several pairs: each pair's second request waits for its first and gets its result,
    never 409 "is being decided"."""
    round_id = await flow.open_round(applications)
    ids = [await _in_review(applications, round_id) for _ in range(4)]
    decision = {"decision": "approve", "granted_amount": "900.00"}

    async def pair(application_id: str) -> list[httpx.Response]:
        headers = {"Idempotency-Key": _key(), **flow.APPROVER}
        path = f"/applications/{application_id}/decision"
        return list(
            await asyncio.gather(
                *(applications.post(path, json=decision, headers=headers) for _ in range(2))
            )
        )

    pairs = await asyncio.gather(*(pair(application_id) for application_id in ids))
    for responses in pairs:
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        assert {r.json()["stage"] for r in responses} == {"approved"}
    for application_id in ids:
        body = (await applications.get(f"/applications/{application_id}")).json()
        assert _approvals(body) == 1
    budgets = (await applications.get(f"/rounds/{round_id}")).json()["budgets"]
    assert [b["committed"] for b in budgets if b["priority_code"] == "coordination"] == ["3600.00"]


async def test_same_key_at_the_same_time_for_a_withdrawal(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    application_id = await flow.draft(applications, await flow.organisation(applications), round_id)
    await flow.submitted_in_review(applications, application_id)
    headers = {"Idempotency-Key": _key()}
    path = f"/applications/{application_id}/withdraw"
    responses = await asyncio.gather(
        *(applications.post(path, json={"reason": "doppelt"}, headers=headers) for _ in range(3))
    )
    assert [r.status_code for r in responses] == [200, 200, 200], [r.text for r in responses]
    assert {r.json()["stage"] for r in responses} == {"withdrawn"}


async def test_same_key_with_another_body_is_refused(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications)
    application_id = await flow.draft(applications, await flow.organisation(applications), round_id)
    await flow.submitted_in_review(applications, application_id)
    key = _key()
    path = f"/applications/{application_id}/withdraw"
    first = await applications.post(path, json={"reason": "a"}, headers={"Idempotency-Key": key})
    assert first.status_code == 200, first.text
    again = await applications.post(path, json={"reason": "a"}, headers={"Idempotency-Key": key})
    assert again.status_code == 200, again.text
    other = await applications.post(path, json={"reason": "b"}, headers={"Idempotency-Key": key})
    assert other.status_code == 422, other.text
    assert key in other.json()["detail"]


async def test_a_refused_command_gives_its_key_back(applications: httpx.AsyncClient) -> None:
    """A command refused before the workflow is asked (a draft has none) holds no claim:
    the retry with the same key is refused the same way at once, not after a wait."""
    round_id = await flow.open_round(applications)
    application_id = await flow.draft(applications, await flow.organisation(applications), round_id)
    headers = {"Idempotency-Key": _key()}
    path = f"/applications/{application_id}/withdraw"
    for _ in range(2):
        started = asyncio.get_running_loop().time()
        refused = await asyncio.wait_for(
            applications.post(path, json={}, headers=headers), timeout=10
        )
        assert refused.status_code == 409, refused.text
        assert asyncio.get_running_loop().time() - started < 3  # not after the claim's lease


async def test_create_application_honours_the_key(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications)
    body = {
        "organisation_id": organisation_id,
        "round_id": round_id,
        "priority_code": "coordination",
        **flow.content("5000.00"),
    }
    headers = {"Idempotency-Key": _key()}
    created = await asyncio.gather(
        *(applications.post("/applications", json=body, headers=headers) for _ in range(3))
    )
    assert {r.status_code for r in created} == {201}, [r.text for r in created]
    assert len({r.json()["id"] for r in created}) == 1
    later = await applications.post("/applications", json=body, headers=headers)
    assert later.status_code == 201 and later.json()["id"] == created[0].json()["id"]
    listed = await applications.get("/applications", params={"round": round_id})
    assert listed.json()["total"] == 1
    other = await applications.post(
        "/applications", json={**body, "title": "Anders"}, headers=headers
    )
    assert other.status_code == 422, other.text
    assert headers["Idempotency-Key"] in other.json()["detail"]
    # without a key every request is a creation of its own
    unkeyed = [await applications.post("/applications", json=body) for _ in range(2)]
    assert len({r.json()["id"] for r in unkeyed}) == 2


async def test_create_organisation_honours_the_key(applications: httpx.AsyncClient) -> None:
    name = f"Verein {uuid.uuid4().hex[:8]}"
    body = {"name": name, "applicant_type": "migrant_org", "is_non_profit": True}
    headers = {"Idempotency-Key": _key()}
    created = await asyncio.gather(
        *(applications.post("/organisations", json=body, headers=headers) for _ in range(3))
    )
    assert {r.status_code for r in created} == {201}, [r.text for r in created]
    assert len({r.json()["id"] for r in created}) == 1
    params = {"applicant_type": "migrant_org", "limit": "200"}
    listed = (await applications.get("/organisations", params=params)).json()
    assert [o["name"] for o in listed["items"]].count(name) == 1
    other = await applications.post(
        "/organisations", json={**body, "is_non_profit": False}, headers=headers
    )
    assert other.status_code == 422, other.text


async def test_a_refused_approval_gives_its_key_back(
    applications: httpx.AsyncClient,
) -> None:
    """The approval's budget check refuses after the key was claimed: it gives the claim
    back, so a retry with the key is answered at once (not after the claim's lease)."""
    round_id = await flow.open_round(applications, budgets={"coordination": "500.00"})
    application_id = await _in_review(applications, round_id)
    headers = {"Idempotency-Key": _key(), **flow.APPROVER}
    path = f"/applications/{application_id}/decision"
    decision = {"decision": "approve", "granted_amount": "900.00"}
    for _ in range(2):
        started = asyncio.get_running_loop().time()
        refused = await asyncio.wait_for(
            applications.post(path, json=decision, headers=headers), timeout=15
        )
        assert refused.status_code == 409, refused.text
        assert refused.json()["title"] == "Budget exhausted"
        assert asyncio.get_running_loop().time() - started < 3


async def test_an_approval_under_a_used_key_with_another_amount_is_refused(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    application_id = await _in_review(applications, round_id)
    headers = {"Idempotency-Key": _key(), **flow.APPROVER}
    path = f"/applications/{application_id}/decision"
    first = await applications.post(
        path, json={"decision": "approve", "granted_amount": "900.00"}, headers=headers
    )
    assert first.status_code == 200, first.text
    other = await applications.post(
        path, json={"decision": "approve", "granted_amount": "800.00"}, headers=headers
    )
    assert other.status_code == 422, other.text
    body = (await applications.get(f"/applications/{application_id}")).json()
    assert body["granted_amount"] == "900.00"
    assert _approvals(body) == 1


async def test_a_payment_request_retried_with_its_key_is_one_payment(
    applications: httpx.AsyncClient,
) -> None:
    """A keyed retry of a Mittelabruf answers the first result: the payment's id comes from
    the key, so the retry is the same command (not 422 "Idempotency-Key reused")."""
    round_id = await flow.open_round(applications)
    application_id = await _in_review(applications, round_id)
    approved = await flow.approve(applications, application_id, "900.00")
    assert approved.status_code == 200, approved.text
    await flow.funded(applications, application_id)
    headers = {"Idempotency-Key": _key(), **await flow.applicant(applications, application_id)}
    path = f"/applications/{application_id}/payments"
    answers = [
        await applications.post(path, json={"amount": "300.00"}, headers=headers) for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    payments = (await applications.get(f"/applications/{application_id}")).json()["payments"]
    assert len(payments) == 1


async def test_an_approval_retried_after_its_first_request_died_gets_the_approval(
    applications: httpx.AsyncClient, settings: WirSettings
) -> None:
    """The first request reached the workflow and died before it could store its key (a
    replica killed mid-request): its claim stays unfinished and the read model shows the
    approval. The retry with the same key takes the claim over and answers the approval
    (the workflow's answer to the same update id), not 409 "in stage approved"."""
    round_id = await flow.open_round(applications)
    application_id = await _in_review(applications, round_id)
    headers = {"Idempotency-Key": _key(), **flow.APPROVER}
    path = f"/applications/{application_id}/decision"
    decision = {"decision": "approve", "granted_amount": "900.00"}
    first = await applications.post(path, json=decision, headers=headers)
    assert first.status_code == 200, first.text
    # what a request that died after Temporal's answer, before its commit, leaves behind
    engine = create_engine(settings.database_url_for("applications"))
    try:
        async with engine.begin() as conn:
            changed = await conn.execute(
                update(CommandKey)
                .where(CommandKey.application_id == application_id)
                .values(done=False, created_at=datetime.now(UTC) - timedelta(seconds=30))
            )
            assert changed.rowcount == 1
    finally:
        await engine.dispose()
    retried = await applications.post(path, json=decision, headers=headers)
    assert retried.status_code == 200, retried.text
    assert retried.json()["stage"] == "approved"
    body = (await applications.get(f"/applications/{application_id}")).json()
    assert _approvals(body) == 1
