"""A Fachtag's level (district, state, national) over real HTTP: in the body and the
answers, the list's ``?level=`` filter, and the year report's figures by level in JSON,
CSV and PDF."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pypdf import PdfReader

from tests.coordination_clients import fachtag_body, network_actor


async def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_level_is_planned_shown_and_filtered(coordination: httpx.AsyncClient) -> None:
    default = await _ok(await coordination.post("/fachtage", json=fachtag_body()), 201)
    assert default["level"] == "district"
    body = {**fachtag_body(starts_in=timedelta(days=50)), "level": "national"}
    national = await _ok(await coordination.post("/fachtage", json=body), 201)
    assert national["level"] == "national"
    assert (await _ok(await coordination.get(f"/fachtage/{national['id']}")))["level"] == "national"

    listed = await _ok(
        await coordination.get("/fachtage", params={"level": "national", "limit": 200})
    )
    assert {d["level"] for d in listed["items"]} == {"national"}
    assert national["id"] in {d["id"] for d in listed["items"]}
    assert default["id"] not in {d["id"] for d in listed["items"]}
    district = await _ok(
        await coordination.get("/fachtage", params={"level": "district", "stage": "planned"})
    )
    assert {d["level"] for d in district["items"]} == {"district"}

    for bad in ("county", "", "National"):
        refused = await coordination.post("/fachtage", json={**fachtag_body(), "level": bad})
        assert refused.status_code == 422, (bad, refused.text)
        assert (await coordination.get("/fachtage", params={"level": bad})).status_code == 422
    nulled = await coordination.post("/fachtage", json={**fachtag_body(), "level": None})
    assert nulled.status_code == 422, nulled.text


async def _held_day(coordination: httpx.AsyncClient, level: str, attendees: int) -> None:
    """A day of ``level`` held (now, so in this year's report) with ``attendees`` there."""
    actor_id, _ = await network_actor(coordination)
    body = {**fachtag_body(capacity=5, starts_in=timedelta(seconds=3)), "level": level}
    day = await _ok(await coordination.post("/fachtage", json=body), 201)
    path = f"/fachtage/{day['id']}"
    await _ok(await coordination.post(f"{path}/invitations", json={"actor_ids": [actor_id]}))
    await _ok(await coordination.post(f"{path}/registration/open"))
    ids = []
    for n in range(attendees):
        staff = {"kind": "staff", "user_id": f"staff.{level}.{n}"}
        registered = await _ok(await coordination.post(f"{path}/participants", json=staff))
        ids = [p["participant_id"] for p in registered["participants"]]
    await _ok(await coordination.post(f"{path}/registration/close"))
    starts = datetime.fromisoformat(day["starts_at"])
    await asyncio.sleep(max(0.0, (starts - datetime.now(UTC)).total_seconds()) + 0.3)
    held = await _ok(await coordination.post(f"{path}/attendance", json={"attended": ids}))
    assert held["stage"] == "held"


def _csv_counts(text: str) -> dict[tuple[str, str], int]:
    return {(r["section"], r["item"]): int(r["count"]) for r in csv.DictReader(io.StringIO(text))}


async def test_the_year_report_counts_events_and_participants_by_level(
    coordination: httpx.AsyncClient,
) -> None:
    year = datetime.now(UTC).year
    before = await _ok(await coordination.get(f"/reports/{year}"))
    await asyncio.gather(
        _held_day(coordination, "state", 2), _held_day(coordination, "national", 1)
    )
    after = await _ok(await coordination.get(f"/reports/{year}"))

    def grew(key: str) -> dict[str, int]:
        return {lv: after[key][lv] - before[key].get(lv, 0) for lv in after[key]}

    assert grew("events_by_level") == {"district": 0, "state": 1, "national": 1}
    assert grew("participants_by_level") == {"district": 0, "state": 2, "national": 1}
    assert sum(after["events_by_level"].values()) == after["events_held"]
    assert sum(after["participants_by_level"].values()) == after["participants"]
    assert {e["level"] for e in after["events"]} >= {"state", "national"}

    plain = await coordination.get(f"/reports/{year}/csv", params={"format": "plain"})
    counts = _csv_counts(plain.text)
    for level in ("district", "state", "national"):
        assert counts[("events_by_level", level)] == after["events_by_level"][level]
        assert counts[("participants_by_level", level)] == after["participants_by_level"][level]

    pdf = await coordination.get(f"/reports/{year}/pdf", params={"office": "Landkreis Fulda"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = "".join(text.split())
    state = after["events_by_level"]["state"], after["participants_by_level"]["state"]
    assert f"Landesebene(Hessen):Veranstaltungen/Teilnahmen{state[0]}/{state[1]}" in flat
    assert "Bundesebene" in text and "Kreisebene" in text
