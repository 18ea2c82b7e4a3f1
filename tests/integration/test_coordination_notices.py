"""The working groups' notices through the real notifications service: an action item's
reminder reaches its staff owner's inbox, one owned by a contact person reaches the
coordination office's team, and neither names the contact person."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from shared.auth import Role
from tests import auth
from tests.servers import eventually


async def _item(
    coordination: httpx.AsyncClient, group_id: str, owner: dict[str, str]
) -> dict[str, Any]:
    due = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()  # reminded at once
    response = await coordination.post(
        f"/groups/{group_id}/action-items",
        json={"title": "Raum buchen", "owner": owner, "due_date": due},
    )
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


async def test_action_item_reminders_reach_the_owner_or_the_office(
    coordination: httpx.AsyncClient, notifications_url: str
) -> None:
    actor = (
        await coordination.post("/actors", json={"name": "VHS", "type": "other", "place": "L"})
    ).json()
    contact = (
        await coordination.post(
            f"/actors/{actor['id']}/contacts",
            json={"name": "Petra Lang", "email": "p.lang@example.org"},
        )
    ).json()
    group = (await coordination.post("/groups", json={"name": "AG Sprache"})).json()
    owner = f"staff.{uuid.uuid4().hex[:8]}"
    mine = await _item(coordination, group["id"], {"kind": "staff", "id": owner})
    theirs = await _item(coordination, group["id"], {"kind": "contact", "id": contact["id"]})

    staff = auth.headers(owner, Role.case_manager)
    office = auth.headers("clara.coord", Role.coordinator)
    async with httpx.AsyncClient(base_url=notifications_url, timeout=30) as notes:

        async def inbox(headers: dict[str, str], **params: str) -> list[dict[str, Any]] | None:
            query = {"event_type": "wir.coordination.action_item_reminder_due", **params}
            answer = await notes.get("/notifications", params=query, headers=headers)
            assert answer.status_code == 200, answer.text
            items: list[dict[str, Any]] = answer.json()["items"]
            return [i for i in items if i["entity_id"] == group["id"]] or None

        (own,) = await eventually(lambda: inbox(staff))
        assert (own["addressee_kind"], own["addressee"]) == ("staff", owner)
        assert mine["id"] in own["subject"]
        found = await eventually(lambda: inbox(office, addressee_kind="role"))
        (team,) = [n for n in found if theirs["id"] in n["subject"]]
        assert team["addressee"] == "coordinator"
        assert contact["id"] in team["body"]
        for text in (team["subject"], team["body"], own["body"]):
            assert "Petra" not in text and "p.lang@example.org" not in text
