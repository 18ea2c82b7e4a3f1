"""A working group's journey over HTTP for the e2e tests: an institution with a contact
person, a group with both as members, a meeting invited to and held, an action item the
contact person owns, due soon (its reminder comes at once), done, and the group closed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.servers import eventually

#: What must never appear in an event: the contact person and the meeting's free text.
CONTACT: dict[str, Any] = {
    "name": "Elif Yilmaz",
    "function": "Integrationsbeauftragte",
    "email": "elif.yildirim@example.org",
    "phone": "06641 977 123",
}
FREE_TEXT = ("Gemeindehaus Lauterbach", "Tagesordnung Sprachcafé", "Protokoll Elternabend")


async def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


async def working_group_cycle(coordination: httpx.AsyncClient) -> str:
    """The group's id, once its action item's reminder was projected and the group closed."""
    actor = await _created(
        await coordination.post(
            "/actors", json={"name": "Moscheegemeinde", "type": "church", "place": "Lauterbach"}
        )
    )
    contact = await _created(
        await coordination.post(f"/actors/{actor['id']}/contacts", json=CONTACT)
    )
    group = await _created(await coordination.post("/groups", json={"name": "AG Elternarbeit"}))
    gid = str(group["id"])
    members = [
        {"kind": "actor", "id": actor["id"]},
        {"kind": "contact", "id": contact["id"]},
        {"kind": "staff", "id": "clara.coord"},
    ]
    await _created(await coordination.put(f"/groups/{gid}/members", json={"members": members}))
    starts = (datetime.now(UTC) + timedelta(days=21)).isoformat()
    meeting = await _created(
        await coordination.post(
            f"/groups/{gid}/meetings",
            json={"starts_at": starts, "place": FREE_TEXT[0], "agenda": FREE_TEXT[1]},
        )
    )
    mid = meeting["id"]
    await _created(await coordination.post(f"/groups/{gid}/meetings/{mid}/invitation"))
    due = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    item = await _created(
        await coordination.post(
            f"/groups/{gid}/action-items",
            json={
                "title": "Flyer übersetzen",
                "owner": {"kind": "contact", "id": contact["id"]},
                "due_date": due,
            },
        )
    )

    async def reminded() -> bool:
        found = await _created(await coordination.get(f"/groups/{gid}/action-items/{item['id']}"))
        return found["reminded_at"] is not None

    await eventually(reminded)
    minutes = {"minutes": FREE_TEXT[2], "attendees": members[1:]}
    await _created(await coordination.post(f"/groups/{gid}/meetings/{mid}/minutes", json=minutes))
    await _created(await coordination.post(f"/groups/{gid}/action-items/{item['id']}/done"))
    await _created(await coordination.post(f"/groups/{gid}/close"))
    return gid


#: A measure's free text: the office's words, never in an event.
MEASURE_TEXT = ("Schulung interkulturelle Kompetenz", "Alle Übungsleitenden geschult")


async def measure_cycle(coordination: httpx.AsyncClient) -> str:
    """A measure recorded, begun, its date moved and completed: four events; its id."""
    measure = await _created(
        await coordination.post(
            "/measures",
            json={
                "institution_id": "inst-e2e",
                "kind": "staff_training",
                "title": MEASURE_TEXT[0],
                "goal": MEASURE_TEXT[1],
            },
        )
    )
    path = f"/measures/{measure['id']}"
    await _created(await coordination.patch(path, json={"status": "in_progress"}))
    await _created(await coordination.patch(path, json={"due_on": "2099-06-30"}))
    await _created(await coordination.patch(path, json={"status": "completed"}))
    return str(measure["id"])
