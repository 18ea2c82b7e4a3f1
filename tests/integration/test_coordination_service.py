"""The coordination service comes up as the others do: migrations applied, health, the
audit log for admins only."""

from __future__ import annotations

import httpx

from shared.auth import Role
from tests import auth


async def test_health_and_the_audit_log_of_admins(
    coordination: httpx.AsyncClient, coordination_url: str
) -> None:
    health = await coordination.get("/health")
    assert health.status_code == 200, health.text
    async with httpx.AsyncClient(base_url=coordination_url) as anonymous:
        assert (await anonymous.get("/audit")).status_code == 401
    assert (await coordination.get("/audit")).status_code == 403
    admin = auth.headers("ada.admin", Role.admin)
    page = await coordination.get("/audit", headers=admin)
    assert page.status_code == 200, page.text
    assert page.json()["items"] == [] or isinstance(page.json()["items"], list)
