"""A meeting's place, online link and agenda changed afterwards (PATCH), over real HTTP:
the meeting a group's cycle plans gets its place; bad changes are 422 and change nothing;
a meeting held or cancelled keeps its details (409)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.servers import eventually


async def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def _cycle_meeting(coordination: httpx.AsyncClient) -> tuple[str, dict[str, Any]]:
    """A group whose weekly cycle planned its first meeting (no place, no link)."""
    group = await _ok(await coordination.post("/groups", json={"name": "AG Wohnen"}), 201)
    first = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    cycle = {"first_starts_at": first.isoformat(), "every_weeks": 1}
    await _ok(await coordination.put(f"/groups/{group['id']}/cadence", json=cycle))
    found: list[dict[str, Any]] = []

    async def planned() -> bool:
        found[:] = (await _ok(await coordination.get(f"/groups/{group['id']}/meetings")))["items"]
        return len(found) == 1

    await eventually(planned)
    return group["id"], found[0]


async def test_the_office_adds_a_place_to_a_meeting_the_cycle_planned(
    coordination: httpx.AsyncClient,
) -> None:
    group_id, meeting = await _cycle_meeting(coordination)
    assert (meeting["place"], meeting["online_link"], meeting["agenda"]) == (None, None, "")
    path = f"/groups/{group_id}/meetings/{meeting['id']}"

    body = {"place": "Kreishaus, Raum 114", "agenda": "1. Wohnungsmarkt\n2. Verschiedenes"}
    changed = await _ok(
        await coordination.patch(path, json=body, headers={"Idempotency-Key": "k1"})
    )
    assert (changed["place"], changed["agenda"], changed["status"]) == (
        body["place"],
        body["agenda"],
        "scheduled",
    )
    again = await _ok(await coordination.patch(path, json=body, headers={"Idempotency-Key": "k1"}))
    assert again == changed

    link = {"online_link": "https://meet.example.org/ag-wohnen"}
    both = await _ok(await coordination.patch(path, json=link))
    assert (both["place"], both["online_link"]) == (body["place"], link["online_link"])
    online_only = await _ok(await coordination.patch(path, json={"place": None}))
    assert (online_only["place"], online_only["agenda"]) == (None, body["agenda"])
    assert (await _ok(await coordination.get(path)))["online_link"] == link["online_link"]
    # the history names no change of details: no event for them
    history = await _ok(await coordination.get(f"/groups/{group_id}/history"))
    assert not any("changed" in h["type"] and "meeting" in h["type"] for h in history["items"])


async def test_bad_changes_are_422_and_change_nothing(coordination: httpx.AsyncClient) -> None:
    group_id, meeting = await _cycle_meeting(coordination)
    path = f"/groups/{group_id}/meetings/{meeting['id']}"
    await _ok(await coordination.patch(path, json={"place": "Rathaus"}))
    for bad in (
        {},
        {"place": ""},
        {"place": "x" * 301},
        {"agenda": None},
        {"agenda": "x" * 20_001},
        {"online_link": "not a link"},
        {"online_link": "https://example.org/" + "x" * 500},
        {"starts_at": datetime.now(UTC).isoformat()},
        {"place": None},  # neither a place nor a link left
        {"place": None, "online_link": None},
    ):
        refused = await coordination.patch(path, json=bad)
        assert refused.status_code == 422, (bad, refused.text)
    kept = await _ok(await coordination.get(path))
    assert (kept["place"], kept["online_link"], kept["agenda"]) == ("Rathaus", None, "")
    # an agenda alone on a meeting without a place is fine (the cycle's meetings)
    group_id, bare = await _cycle_meeting(coordination)
    agenda = await coordination.patch(
        f"/groups/{group_id}/meetings/{bare['id']}", json={"agenda": "TOP 1"}
    )
    assert agenda.status_code == 200 and agenda.json()["place"] is None, agenda.text


async def test_a_held_or_cancelled_meeting_keeps_its_details(
    coordination: httpx.AsyncClient,
) -> None:
    group = await _ok(await coordination.post("/groups", json={"name": "AG Arbeit"}), 201)
    soon = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    meetings = f"/groups/{group['id']}/meetings"
    held = await _ok(await coordination.post(meetings, json={"starts_at": soon, "place": "A"}), 201)
    gone = await _ok(await coordination.post(meetings, json={"starts_at": soon, "place": "B"}), 201)
    await _ok(await coordination.post(f"{meetings}/{held['id']}/minutes", json={"minutes": "M"}))
    await _ok(await coordination.post(f"{meetings}/{gone['id']}/cancel"))

    for meeting, status in ((held, "held"), (gone, "cancelled")):
        refused = await coordination.patch(f"{meetings}/{meeting['id']}", json={"place": "C"})
        assert refused.status_code == 409, refused.text
        assert refused.json()["detail"] == (
            f"meeting {meeting['id']} was {status}; its details no longer change"
        )
        shown = await _ok(await coordination.get(f"{meetings}/{meeting['id']}"))
        assert shown["place"] == meeting["place"]
    missing = await coordination.patch(f"{meetings}/nope", json={"place": "C"})
    assert missing.status_code == 404, missing.text
