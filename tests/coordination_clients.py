"""Helpers for the coordination service's tests: a Fachtag planned over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx


def fachtag_body(
    *, capacity: int = 2, starts_in: timedelta = timedelta(seconds=8)
) -> dict[str, Any]:
    """A day starting ``starts_in`` from now, registration closing at the same moment
    (the test closes it by hand before)."""
    starts = datetime.now(UTC) + starts_in
    return {
        "title": "Bewerben in Deutschland",
        "audience": "Geflüchtete",
        "venue": "Kreishaus, Saal 2",
        "capacity": capacity,
        "starts_at": starts.isoformat(),
        "registration_closes_at": starts.isoformat(),
        "documentation_days": 14,
        "reminder_interval_days": 7,
    }


async def network_actor(
    coordination: httpx.AsyncClient, *, actor_type: str = "club"
) -> tuple[str, str]:
    """An institution of the network with one contact person: (actor id, contact id)."""
    actor = await coordination.post(
        "/actors", json={"name": "TSV Korbach 1850", "type": actor_type, "place": "Korbach"}
    )
    assert actor.status_code == 201, actor.text
    actor_id: str = actor.json()["id"]
    contact = await coordination.post(
        f"/actors/{actor_id}/contacts", json={"name": "Petra Übungsleiterin"}
    )
    assert contact.status_code == 201, contact.text
    return actor_id, contact.json()["id"]


async def plan_open_fachtag(coordination: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    """Planned, invitations sent (to an institution of its own), registration open."""
    actor_id, _ = await network_actor(coordination)
    planned = await coordination.post("/fachtage", json=fachtag_body(**body))
    assert planned.status_code == 201, planned.text
    day = planned.json()
    path = f"/fachtage/{day['id']}"
    invited = await coordination.post(f"{path}/invitations", json={"actor_ids": [actor_id]})
    assert invited.status_code == 200, invited.text
    opened = await coordination.post(f"{path}/registration/open")
    assert opened.status_code == 200, opened.text
    assert opened.json()["stage"] == "registration_open"
    result: dict[str, Any] = opened.json()
    return result
