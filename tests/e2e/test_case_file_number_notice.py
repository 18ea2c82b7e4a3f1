"""A case's notice names its file number: the whole stack, from intake over the workflow's
event on NATS to the notifications service's inbox of the case manager."""

from __future__ import annotations

from typing import Any

import httpx

from tests.case_clients import as_user, new_manager
from tests.servers import eventually


async def test_the_new_case_manager_is_told_the_file_number(
    cases: httpx.AsyncClient, notifications: httpx.AsyncClient
) -> None:
    holder, successor = new_manager(), new_manager()
    body = {
        "person": {"given_name": "Dilan", "family_name": "Kaya"},
        "consent": {"given": True, "purposes": ["case_management"]},
    }
    async with as_user(cases, holder) as client:
        case = (await client.post("/cases", json=body)).json()
        moved = await client.post(f"/cases/{case['id']}/transfer", json={"case_manager": successor})
        assert moved.status_code == 200, moved.text
        assert moved.json()["file_number"] == case["file_number"]

    async def notice() -> list[dict[str, Any]]:
        page = await notifications.get(
            "/notifications",
            params={"addressee": successor, "event_type": "wir.case.transferred"},
        )
        items: list[dict[str, Any]] = page.json()["items"]
        return items

    [told] = await eventually(notice)
    assert told["entity_id"] == case["id"]
    assert case["file_number"] in told["subject"] and case["file_number"] in told["body"]
    assert case["id"] not in told["subject"] + told["body"]
    assert "Kaya" not in told["subject"] + told["body"]
