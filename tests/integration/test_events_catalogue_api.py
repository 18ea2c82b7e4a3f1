"""Every service serves the event catalogue: AsyncAPI document and JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from shared.event_schemas import nats_server_of
from shared.settings import WirSettings

DOCS = Path(__file__).parents[2] / "docs"


async def test_catalogue_is_served_as_published(
    notifications: httpx.AsyncClient, settings: WirSettings
) -> None:
    asyncapi = await notifications.get("/events/asyncapi.json")
    assert asyncapi.status_code == 200
    served, published = asyncapi.json(), json.loads((DOCS / "asyncapi.json").read_text())
    # the served copy names the NATS this service uses; the file, make up's default port
    port = urlsplit(settings.nats_url).port
    assert port != 14222
    assert served["servers"]["local"]["host"] == f"127.0.0.1:{port}"
    assert published["servers"]["local"]["host"] == "127.0.0.1:14222"
    served.pop("servers"), published.pop("servers")
    assert served == published

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


def test_the_server_entry_never_shows_credentials() -> None:
    assert nats_server_of("nats://svc:s3cret@nats.example:4223") == "nats.example:4223"
    assert nats_server_of("nats://a.example:4222, nats://b.example:4222") == "a.example:4222"
    assert nats_server_of("tls://nats.example") == "nats.example:4222"
