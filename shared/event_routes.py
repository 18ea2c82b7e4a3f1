"""``GET /events/...``: the event catalogue, served by every WIR service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from shared.contracts.envelope import catalogue
from shared.event_schemas import asyncapi, json_schema, nats_server_of
from shared.problems import not_found


def events_router() -> APIRouter:
    router = APIRouter(prefix="/events", tags=["event catalogue"])

    @router.get("/asyncapi.json")
    async def get_asyncapi(request: Request) -> dict[str, Any]:
        """The AsyncAPI 3 document of every WIR event (= docs/asyncapi.json), its server
        entry naming the NATS this service uses (``WIR_NATS_URL``)."""
        runtime = getattr(request.app.state, "runtime", None)
        if runtime is None:  # not started (a test app without the lifespan)
            return asyncapi()
        return asyncapi(nats_server_of(runtime.settings.nats_url))

    @router.get("/schemas")
    async def list_schemas() -> dict[str, dict[str, Any]]:
        """Every event type with its version, ``dataschema`` and schema URL."""
        return {
            name: {
                "version": model.version,
                "dataschema": model.schema_uri(),
                "href": f"/events/schemas/{name}",
            }
            for name, model in catalogue().items()
        }

    @router.get("/schemas/{event_type}")
    async def get_schema(event_type: str) -> dict[str, Any]:
        """The JSON Schema of the event type's ``data`` (= docs/schemas/<type>.v<n>.json)."""
        if event_type not in catalogue():
            raise not_found("event type", event_type)
        return json_schema(event_type)

    return router
