"""The coordination service comes up as the others do: migrations applied, health, and an
audit log (admins only) of every command and of every read of contact persons' data."""

from __future__ import annotations

import httpx

from shared.auth import Role
from tests import auth
from tests.servers import eventually


async def test_health_and_the_audit_log_of_admins(
    coordination: httpx.AsyncClient, coordination_url: str
) -> None:
    health = await coordination.get("/health")
    assert health.status_code == 200, health.text
    async with httpx.AsyncClient(base_url=coordination_url) as anonymous:
        assert (await anonymous.get("/audit")).status_code == 401
    assert (await coordination.get("/audit")).status_code == 403

    actor = await coordination.post(
        "/actors", json={"name": "Jobcenter Vogelsberg", "type": "job_centre", "place": "L"}
    )
    actor_id = actor.json()["id"]
    await coordination.post(f"/actors/{actor_id}/contacts", json={"name": "Nora Klein"})
    reader = auth.headers("anna.cm", Role.case_manager)
    assert (await coordination.get(f"/actors/{actor_id}/contacts", headers=reader)).is_success

    admin = auth.headers("ada.admin", Role.admin)

    async def trail() -> list[dict[str, str]] | None:
        page = await coordination.get("/audit", params={"object_id": actor_id}, headers=admin)
        assert page.status_code == 200, page.text
        rows: list[dict[str, str]] = page.json()["items"]
        return rows if len(rows) >= 3 else None

    rows = await eventually(trail)
    seen = {(r["kind"], r["action"], r["user"]) for r in rows}
    assert ("command", "create_actor", "clara.coord") in seen
    assert ("command", "add_contact", "clara.coord") in seen
    assert ("read", "list_contacts", "anna.cm") in seen  # a read of personal data
    assert all("Nora" not in str(r) for r in rows)
