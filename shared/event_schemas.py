"""JSON Schemas of the event types and the AsyncAPI 3 document, from the registered models.

Both are built from :func:`shared.contracts.envelope.catalogue`, so an event type added in a domain
module appears here without a change to this file.
"""

from __future__ import annotations

import inspect
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from shared.contracts.envelope import CloudEvent, EventData, catalogue, event_model
from shared.settings import WirSettings

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
CONTENT_TYPE = "application/cloudevents+json"
ASYNCAPI_VERSION = "3.0.0"
# The catalogue's own version: raised when an event type's version is.
CATALOGUE_VERSION = "1"


def description(model: type[EventData]) -> str:
    return " ".join(inspect.cleandoc(model.__doc__ or "").split())


def schema_file_name(event_type: str, version: int) -> str:
    return f"{event_type}.v{version}.json"


def json_schema(event_type: str) -> dict[str, Any]:
    """The standalone JSON Schema of the ``data`` of ``event_type`` (current version)."""
    model = event_model(event_type)
    schema = model.model_json_schema(mode="serialization")
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": model.schema_uri(),
        **schema,
        "title": event_type,
        "description": description(model),
        "x-wir-version": model.version,
    }


def all_json_schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, for every registered event type."""
    return {
        schema_file_name(name, model.version): json_schema(name)
        for name, model in catalogue().items()
    }


def _channel_key(event_type: str) -> str:
    return event_type


def nats_server_of(nats_url: str) -> str:
    """``host:port`` of the first server in a NATS URL (a list of them is comma-separated);
    never the user or password a URL may carry."""
    parts = urlsplit(nats_url.split(",", 1)[0].strip())
    host = parts.hostname or "127.0.0.1"
    return f"[{host}]:{parts.port or 4222}" if ":" in host else f"{host}:{parts.port or 4222}"


def asyncapi(nats_server: str | None = None) -> dict[str, Any]:
    """The AsyncAPI 3 document: one channel per event type, messages are CloudEvents.
    ``nats_server``: the ``host:port`` a service reaches NATS at, for the copy it serves;
    None (the published file): where ``make up`` runs it by default."""
    types = catalogue()
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(CloudEvent, "serialization")]
    models += [(m, "serialization") for m in types.values()]
    _, defs = models_json_schema(
        models,
        ref_template="#/components/schemas/{model}",
    )
    schemas: dict[str, Any] = dict(sorted(defs["$defs"].items()))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for name, model in types.items():
        domain = name.split(".")[1]
        message = model.__name__
        messages[name] = {
            "name": message,
            "title": name,
            "summary": description(model),
            "contentType": CONTENT_TYPE,
            "headers": {
                "type": "object",
                "properties": {
                    "Nats-Msg-Id": {"type": "string", "description": "= CloudEvents id"},
                    "Content-Type": {"const": CONTENT_TYPE},
                },
            },
            "payload": {
                "allOf": [
                    {"$ref": "#/components/schemas/CloudEvent"},
                    {
                        "type": "object",
                        "properties": {
                            "type": {"const": name},
                            "source": {"const": f"urn:wir:{domain}"},
                            "dataschema": {"const": model.schema_uri()},
                            "data": {"$ref": f"#/components/schemas/{message}"},
                        },
                        "required": ["dataschema"],
                    },
                ]
            },
            "x-wir-version": model.version,
        }
        channels[_channel_key(name)] = {
            "address": f"{name}.{{id}}",
            "title": name,
            "description": description(model),
            "parameters": {"id": {"description": f"id of the {domain} the event is about"}},
            "messages": {message: {"$ref": f"#/components/messages/{name}"}},
        }
        operations[f"receive.{name}"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{_channel_key(name)}"},
            "messages": [{"$ref": f"#/channels/{_channel_key(name)}/messages/{message}"}],
        }
    nats_port = WirSettings.model_fields["nats_port"].default
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "WIR events",
            "version": CATALOGUE_VERSION,
            "description": (
                "Every fact of the WIR programme as a CloudEvents 1.0 JSON document "
                "(structured mode) in the JetStream stream WIR. Subject = "
                "`<type>.<entity id>`; the CloudEvents `id` is also the `Nats-Msg-Id`. "
                "See docs/events.md."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "local": {
                "host": nats_server or f"127.0.0.1:{nats_port}",
                "protocol": "nats",
                "description": "the embedded setup `make up` starts (JetStream stream WIR)"
                if nats_server is None
                else "the NATS server this WIR service publishes to (JetStream stream WIR)",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }
