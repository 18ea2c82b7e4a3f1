"""Staff actions over HTTP as the fault tests need them, the exactly-once check, and the
events the stream holds (read by an independent subscriber).

Commands carry an ``Idempotency-Key`` and are repeated on ``503`` the way a careful client
would: a repeated command must never act twice.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx
import nats
import nats.errors
import nats.js.errors

from shared.contracts.envelope import CloudEvent
from tests import grant_flows
from tests.servers import eventually


async def command(
    client: httpx.AsyncClient,
    path: str,
    *,
    json: dict[str, Any] | None = None,
    key: str | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 90.0,
) -> httpx.Response:
    """POST until the answer is not 503 (engine or workflow unavailable), same key each time."""
    all_headers = {"Idempotency-Key": key or uuid.uuid4().hex, **(headers or {})}
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            response = await client.post(path, json=json, headers=all_headers)
        except httpx.TimeoutException:
            response = None
        if response is not None and response.status_code != 503:
            return response
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"POST {path} still unavailable after {timeout}s")
        await asyncio.sleep(0.5)


#: an application's events from submission to approval
APPROVED = ["submitted", "review_started", "reviewer_assigned", "reviewed", "approved"]


async def organisation(client: httpx.AsyncClient, name: str = "Landkreis Fulda") -> str:
    return await grant_flows.organisation(client, name=name)


async def open_round(client: httpx.AsyncClient) -> str:
    return await grant_flows.open_round(client)


async def draft(client: httpx.AsyncClient, organisation_id: str, round_id: str) -> str:
    return await grant_flows.draft(client, organisation_id, round_id, requested="5000.00")


async def submit(client: httpx.AsyncClient, application_id: str) -> None:
    response = await command(client, f"/applications/{application_id}/submit")
    # 409 after a 503 that had in fact started the workflow: submitted once all the same
    assert response.status_code in (202, 409), response.text


async def reviewed(client: httpx.AsyncClient, application_id: str) -> None:
    """Assign a reviewer and record a review recommending approval."""
    path = f"/applications/{application_id}"
    assigned = await command(client, f"{path}/reviewer", json={"reviewer": "rita.reviewer"})
    assert assigned.status_code == 200, assigned.text
    review = {"scores": grant_flows.FULL_SCORES, "comment": "ok", "recommendation": "approve"}
    reviewed = await command(client, f"{path}/review", json=review, headers=grant_flows.REVIEWER)
    assert reviewed.status_code == 200, reviewed.text


async def approve(client: httpx.AsyncClient, application_id: str, amount: str = "4000.00") -> None:
    """Review and approve an application in review."""
    await reviewed(client, application_id)
    path = f"/applications/{application_id}"
    response = await command(
        client,
        f"{path}/decision",
        json={"decision": "approve", "granted_amount": amount},
        headers=grant_flows.APPROVER,
    )
    assert response.status_code == 200, response.text
    assert response.json()["stage"] == "approved", response.text


async def stage_is(
    client: httpx.AsyncClient, path: str, stage: str, *, timeout: float = 45.0
) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(path)).json()
        return body if body.get("stage") == stage else None

    return await eventually(probe, timeout=timeout, interval=0.2)


async def offers(cases: httpx.AsyncClient, count: int) -> list[str]:
    items = (await cases.get("/offers", params={"limit": count})).json()["items"]
    assert len(items) == count
    return [str(item["id"]) for item in items]


async def open_case(cases: httpx.AsyncClient) -> str:
    response = await command(
        cases,
        "/cases",
        json={
            "person": {"given_name": "Test", "family_name": "Person", "languages": ["ar"]},
            "consent": {"given": True, "purposes": ["case_management", "referral_to_services"]},
        },
    )
    assert response.status_code == 201, response.text
    case_id = str(response.json()["id"])
    assessed = await command(
        cases, f"/cases/{case_id}/assessment", json={"needs": ["language", "employment"]}
    )
    assert assessed.status_code == 200, assessed.text
    return case_id


def exactly_once(events: list[CloudEvent], entity_id: str, expected: list[str]) -> list[CloudEvent]:
    """The entity's events: each id once, ``seq`` 1..n without gaps, the expected types."""
    mine = [e for e in events if e.subject == entity_id]
    ids = Counter(e.id for e in mine)
    assert not [i for i, n in ids.items() if n > 1], f"{entity_id}: an event was stored twice"
    seqs = sorted(e.payload().seq for e in mine)
    assert seqs == list(range(1, len(mine) + 1)), f"{entity_id}: seq {seqs}"
    types = Counter(e.type.rsplit(".", 1)[1] for e in mine)
    assert types == Counter(expected), f"{entity_id}: {types} != {Counter(expected)}"
    return sorted(mine, key=lambda e: e.payload().seq)


async def stored_events(
    nats_url: str | list[str], subject: str = "wir.>", *, timeout: float = 60.0
) -> list[CloudEvent]:
    """Every event the stream holds on ``subject``, read by an independent subscriber (from
    one server, or from any live node of a cluster's list).

    Right after a cluster lost a node, its JetStream API may not answer for a while (a new
    meta leader is elected): the read is tried again until ``timeout``."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            return await _read_stored(nats_url, subject)
        except (nats.errors.TimeoutError, nats.errors.NoRespondersError, nats.js.errors.Error):
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(1)


async def _read_stored(nats_url: str | list[str], subject: str) -> list[CloudEvent]:
    nc = await nats.connect(servers=nats_url, connect_timeout=5, max_reconnect_attempts=3)
    try:
        js = nc.jetstream()
        sub = await js.subscribe(subject, ordered_consumer=True)
        events: list[CloudEvent] = []
        try:
            while True:
                msg = await sub.next_msg(timeout=3)
                events.append(CloudEvent.model_validate_json(msg.data))
                if msg.metadata.num_pending == 0:
                    break
        except nats.errors.TimeoutError:
            if events:  # stopped part-way (the stream's leader moving): read it all again
                raise
        await sub.unsubscribe()
        return events
    finally:
        await nc.drain()
