"""Every service serves the event catalogue: AsyncAPI document and JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

DOCS = Path(__file__).parents[2] / "docs"


async def test_catalogue_is_served_as_published(notifications: httpx.AsyncClient) -> None:
    asyncapi = await notifications.get("/events/asyncapi.json")
    assert asyncapi.status_code == 200
    assert asyncapi.json() == json.loads((DOCS / "asyncapi.json").read_text())

    index = (await notifications.get("/events/schemas")).json()
    approved = index["wir.application.approved"]
    assert approved["dataschema"] == "urn:wir:schema:wir.application.approved:1"
    schema = await notifications.get(approved["href"])
    assert schema.status_code == 200
    published = DOCS / "schemas" / "wir.application.approved.v1.json"
    assert schema.json() == json.loads(published.read_text())

    missing = await notifications.get("/events/schemas/wir.application.teleported")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_applications_and_cases_serve_it_too(
    applications: httpx.AsyncClient, cases: httpx.AsyncClient
) -> None:
    for client in (applications, cases):
        response = await client.get("/events/schemas/wir.case.opened")
        assert response.status_code == 200
        assert response.json()["$id"] == "urn:wir:schema:wir.case.opened:1"
