"""A Fachtag's journey over HTTP for the e2e tests: planned with its free text, invited,
a contact person, a member of staff and a refugee (by case id, from their case manager,
on the waiting list) registered, then called off with the office's reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from shared.auth import Role
from tests import auth
from tests.case_clients import as_user, new_manager

#: What must never appear in an event: the day's free text, the reason, the people.
DAY_TEXT = ("Ausbildung in der Pflege", "Bürgerhaus Alsfeld, Saal 3")
REASON = "Der Saal ist wegen eines Wasserschadens gesperrt."
CONTACT = {"name": "Jonas Riedesel", "email": "jonas.riedesel@example.org"}
REFUGEE = {"given_name": "Samir", "family_name": "Al-Hassani-Berg", "birth_date": "1999-09-09"}


def _ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


async def cancelled_fachtag(
    coordination: httpx.AsyncClient, cases: httpx.AsyncClient, coordination_url: str
) -> str:
    """The day's id, once it is cancelled (its events are published by then)."""
    manager = new_manager()
    actor = _ok(
        await coordination.post(
            "/actors",
            json={"name": "Pflegeschule Vogelsberg", "type": "school", "place": "Alsfeld"},
        )
    )
    contact = _ok(await coordination.post(f"/actors/{actor['id']}/contacts", json=CONTACT))
    starts = datetime.now(UTC) + timedelta(days=20)
    day = _ok(
        await coordination.post(
            "/fachtage",
            json={
                "title": DAY_TEXT[0],
                "audience": "Geflüchtete",
                "venue": DAY_TEXT[1],
                "capacity": 2,
                "starts_at": starts.isoformat(),
                "registration_closes_at": (starts - timedelta(days=5)).isoformat(),
            },
        )
    )
    path = f"/fachtage/{day['id']}"
    _ok(await coordination.post(f"{path}/invitations", json={"actor_ids": [actor["id"]]}))
    _ok(await coordination.post(f"{path}/registration/open"))
    for body in (
        {"kind": "contact", "contact_id": contact["id"]},
        {"kind": "staff", "user_id": "sven.staff"},
    ):
        _ok(await coordination.post(f"{path}/participants", json=body))
    async with (
        as_user(cases, manager) as cm_cases,
        httpx.AsyncClient(
            base_url=coordination_url, headers=auth.headers(manager, Role.case_manager)
        ) as cm,
    ):
        case = _ok(
            await cm_cases.post(
                "/cases",
                json={
                    "person": REFUGEE,
                    "consent": {"given": True, "purposes": ["case_management"]},
                },
            )
        )
        _ok(await cm.post(f"{path}/participants", json={"kind": "refugee", "case_id": case["id"]}))
    done = _ok(await coordination.post(f"{path}/cancellation", json={"reason": REASON}))
    assert done["stage"] == "cancelled", done
    fachtag_id: str = day["id"]
    return fachtag_id
