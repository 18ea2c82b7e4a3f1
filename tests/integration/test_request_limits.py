"""Request limits on the real services: long bodies get 413, every ``limit`` has a maximum."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from shared.auth import Role
from shared.settings import WirSettings
from tests import auth

SERVICES = ["applications_url", "cases_url", "notifications_url", "coordination_url"]
# A command of each service, and a user allowed to send it, so a body reaches a real route.
POST_PATHS = {
    "applications_url": ("/organisations", "petra.officer", Role.programme_officer),
    "cases_url": ("/cases", "anna.cm", Role.case_manager),
    "notifications_url": ("/webhooks", "olaf.operator", Role.operator),
    "coordination_url": ("/actors", "clara.coord", Role.coordinator),
}


@pytest.fixture
def urls(
    applications_url: str, cases_url: str, notifications_url: str, coordination_url: str
) -> dict[str, str]:
    return {
        "applications_url": applications_url,
        "cases_url": cases_url,
        "notifications_url": notifications_url,
        "coordination_url": coordination_url,
    }


async def _chunks(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // 65536 + 1):
        yield b" " * 65536


@pytest.mark.parametrize("service", SERVICES)
async def test_a_body_over_the_limit_is_refused(
    service: str, settings: WirSettings, urls: dict[str, str]
) -> None:
    url = urls[service]
    too_long = settings.max_body_bytes + 1
    path, user, role = POST_PATHS[service]
    headers = {**auth.headers(user, role), "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        for body in (b" " * too_long, _chunks(too_long)):
            response = await client.post(path, content=body)
            assert response.status_code == 413, response.text
            assert response.json()["title"] == "Request too large"
        # a small one still gets through to the route (here: 422, the body is no object)
        small = await client.post(path, content=b"[]")
        assert small.status_code == 422


@pytest.mark.parametrize("service", SERVICES)
async def test_every_page_size_is_capped(service: str, urls: dict[str, str]) -> None:
    url = urls[service]
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        document: dict[str, Any] = (await client.get("/openapi.json")).json()
    uncapped = [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "limit" and "maximum" not in parameter.get("schema", {})
    ]
    assert uncapped == []
