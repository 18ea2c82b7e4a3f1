"""Commands that arrive twice, and commands while Temporal is unreachable."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from shared.auth import Role
from shared.settings import WirSettings
from tests import auth
from tests import grant_flows as flow
from tests.servers import free_port, serve


async def _in_review(client: httpx.AsyncClient) -> str:
    round_id = await flow.open_round(client)
    application_id = await flow.draft(
        client, await flow.organisation(client), round_id, requested="1000.00"
    )
    await flow.submitted_in_review(client, application_id)
    await flow.reviewed(client, application_id)
    return application_id


def _types(body: dict[str, Any]) -> list[str]:
    return [entry["type"].rsplit(".", 1)[1] for entry in body["history"]]


async def test_same_idempotency_key_acts_once(applications: httpx.AsyncClient) -> None:
    application_id = await _in_review(applications)
    path = f"/applications/{application_id}/decision"
    body = {"decision": "approve", "granted_amount": "900.00"}
    headers = {"Idempotency-Key": "approve-1", **flow.APPROVER}
    first = await applications.post(path, json=body, headers=headers)
    second = await applications.post(path, json=body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.json()["stage"] == "approved"
    assert _types(second.json()).count("approved") == 1


async def test_concurrent_duplicate_decisions_have_one_effect(
    applications: httpx.AsyncClient,
) -> None:
    application_id = await _in_review(applications)
    path = f"/applications/{application_id}/decision"
    body = {"decision": "approve", "granted_amount": "800.00"}
    responses = await asyncio.gather(
        *(applications.post(path, json=body, headers=flow.APPROVER) for _ in range(3))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 409, 409], [r.text for r in responses]
    final = (await applications.get(f"/applications/{application_id}")).json()
    assert _types(final).count("approved") == 1
    # the refused duplicates give back only what they reserved, never the approval's money
    budgets = (await applications.get(f"/rounds/{final['round_id']}")).json()["budgets"]
    assert [b["committed"] for b in budgets if b["priority_code"] == "coordination"] == ["800.00"]


async def test_concurrent_submits_start_one_workflow(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications)
    application_id = await flow.draft(
        applications, await flow.organisation(applications, name="Fulda"), round_id
    )
    responses = await asyncio.gather(
        *(applications.post(f"/applications/{application_id}/submit") for _ in range(3))
    )
    assert sorted(r.status_code for r in responses) == [202, 409, 409]


async def test_temporal_unreachable_gives_503_and_changes_nothing(settings: WirSettings) -> None:
    from services.applications.app import create_app

    offline = settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    async with (
        serve(create_app(offline)) as url,
        httpx.AsyncClient(
            base_url=url, headers=auth.headers("petra", Role.programme_officer)
        ) as client,
    ):
        round_id = await flow.open_round(client)
        application_id = await flow.draft(
            client, await flow.organisation(client, name="Gießen"), round_id
        )
        response = await client.post(f"/applications/{application_id}/submit")
        assert response.status_code == 503, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "Temporal" in response.json()["detail"]
        after = await client.get(f"/applications/{application_id}")
        assert after.json()["stage"] == "draft"
