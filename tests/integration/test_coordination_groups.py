"""A working group over real HTTP, the Temporal dev server, NATS and the database: formed,
given members, a meeting with its invitation and minutes, an action item through to its
reminder event, the read model following the workflow's events, and no contact person's
data in any event."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import nats
import nats.errors

from shared.auth import Role
from shared.settings import WirSettings
from tests import auth
from tests.servers import eventually

STAFF = "olaf.staff"


async def _stored_events(settings: WirSettings, group_id: str) -> list[dict[str, Any]]:
    nc = await nats.connect(settings.nats_url)
    try:
        sub = await nc.jetstream().subscribe(
            f"wir.coordination.*.{group_id}", ordered_consumer=True
        )
        found: list[dict[str, Any]] = []
        try:
            while True:
                found.append(json.loads((await sub.next_msg(timeout=1)).data))
        except nats.errors.TimeoutError:
            pass
        await sub.unsubscribe()
        return found
    finally:
        await nc.drain()


async def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_group_with_a_meeting_and_an_action_item_through_to_its_reminder(
    coordination: httpx.AsyncClient, settings: WirSettings
) -> None:
    actor = await _ok(
        await coordination.post(
            "/actors", json={"name": "Caritas Vogelsberg", "type": "welfare_org", "place": "X"}
        ),
        201,
    )
    contact = await _ok(
        await coordination.post(
            f"/actors/{actor['id']}/contacts",
            json={"name": "Jana Weber", "email": "jana.weber@example.org"},
        ),
        201,
    )
    group = await _ok(
        await coordination.post(
            "/groups",
            json={"name": "AG Arbeitsmarkt", "topic": "Ausbildung", "item_reminder_days": 3},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        ),
        201,
    )
    gid = group["id"]
    assert group["stage"] == "active" and group["coordinator"] == "clara.coord"
    members = [
        {"kind": "actor", "id": actor["id"]},
        {"kind": "contact", "id": contact["id"]},
        {"kind": "staff", "id": STAFF},
    ]
    detail = await _ok(await coordination.put(f"/groups/{gid}/members", json={"members": members}))
    assert {(m["kind"], m["id"]) for m in detail["members"]} == {
        (m["kind"], m["id"]) for m in members
    }

    starts = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    meeting = await _ok(
        await coordination.post(
            f"/groups/{gid}/meetings",
            json={
                "starts_at": starts.isoformat(),
                "place": "Kreishaus, Raum 204",
                "agenda": "1. Praktikumsbörse",
            },
        ),
        201,
    )
    assert meeting["status"] == "scheduled" and meeting["agenda"] == "1. Praktikumsbörse"
    invited = await _ok(
        await coordination.post(f"/groups/{gid}/meetings/{meeting['id']}/invitation")
    )
    assert invited["invited_at"] is not None
    again = await coordination.post(f"/groups/{gid}/meetings/{meeting['id']}/invitation")
    assert again.status_code == 409, again.text

    # due tomorrow, reminded 3 days before: the reminder is due at once
    due = (datetime.now(UTC) + timedelta(days=1)).date()
    item = await _ok(
        await coordination.post(
            f"/groups/{gid}/action-items",
            json={
                "title": "Liste der Ausbildungsbetriebe",
                "owner": {"kind": "staff", "id": STAFF},
                "due_date": due.isoformat(),
                "meeting_id": meeting["id"],
            },
        ),
        201,
    )
    assert item["status"] == "open" and item["title"] == "Liste der Ausbildungsbetriebe"

    async def reminded() -> dict[str, Any] | None:
        found = await _ok(await coordination.get(f"/groups/{gid}/action-items/{item['id']}"))
        return found if found["reminded_at"] else None

    assert (await eventually(reminded))["status"] == "open"

    held = await _ok(
        await coordination.post(
            f"/groups/{gid}/meetings/{meeting['id']}/minutes",
            json={"minutes": "Jana Weber berichtet.", "attendees": members[1:]},
        )
    )
    assert held["status"] == "held" and held["attendee_count"] == 2
    assert held["minutes"] == "Jana Weber berichtet."

    # the owner (a member of staff) marks it done; the case manager sees the group
    owner = auth.headers(STAFF, Role.case_manager)
    done = await coordination.post(f"/groups/{gid}/action-items/{item['id']}/done", headers=owner)
    assert (await _ok(done))["status"] == "done"
    mine = await _ok(await coordination.get("/groups", headers=owner))
    assert gid in {g["id"] for g in mine["items"]}

    events = await eventually(
        lambda: _stored_events_with(settings, gid, "wir.coordination.action_item_done")
    )
    types = [e["type"].rsplit(".", 1)[1] for e in events]
    assert types[:3] == ["group_formed", "group_members_changed", "meeting_scheduled"]
    assert {
        "invitation_sent",
        "action_item_added",
        "action_item_reminder_due",
        "meeting_held",
    } <= set(types)
    (reminder,) = [e for e in events if e["type"].endswith("action_item_reminder_due")]
    assert reminder["data"]["owner"] == {"kind": "staff", "id": STAFF}
    assert reminder["data"]["days_left"] == 1
    text = json.dumps(events)
    for personal in ("Jana", "Weber", "jana.weber@example.org", "Praktikumsbörse", "Raum 204"):
        assert personal not in text

    history = await _ok(await coordination.get(f"/groups/{gid}/history"))
    assert history["total"] == len(events)


async def _stored_events_with(
    settings: WirSettings, group_id: str, last: str
) -> list[dict[str, Any]] | None:
    events = await _stored_events(settings, group_id)
    return events if any(e["type"] == last for e in events) else None


async def test_groups_are_found_by_name_and_members_must_be_in_the_network(
    coordination: httpx.AsyncClient,
) -> None:
    marker = uuid.uuid4().hex[:8]
    group = await _ok(
        await coordination.post("/groups", json={"name": f"AG Übergänge {marker}"}), 201
    )
    found = await _ok(await coordination.get("/groups", params={"q": f"UBERGANGE {marker}"}))
    assert [g["id"] for g in found["items"]] == [group["id"]]
    closed = await coordination.get("/groups", params={"q": marker, "stage": "closed"})
    assert (await _ok(closed))["total"] == 0

    unknown = {"members": [{"kind": "contact", "id": "no-such-contact"}]}
    refused = await coordination.put(f"/groups/{group['id']}/members", json=unknown)
    assert refused.status_code == 422, refused.text
    due = (datetime.now(UTC) + timedelta(days=9)).date().isoformat()
    item = {"title": "T", "owner": {"kind": "contact", "id": "no-such"}, "due_date": due}
    refused = await coordination.post(f"/groups/{group['id']}/action-items", json=item)
    assert refused.status_code == 422, refused.text
    assert (await _ok(await coordination.post(f"/groups/{group['id']}/close")))["stage"] == "closed"
    again = await coordination.post(f"/groups/{group['id']}/close")
    assert again.status_code == 409, again.text
