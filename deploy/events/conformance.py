"""CloudEvents 1.0 conformance of a stored WIR event, as a subscriber receives it.

:func:`problems` checks one NATS message (subject, headers, body) against the CloudEvents
1.0 spec (structured JSON mode) and WIR's conventions, and returns what is wrong with it.
The e2e tests run it over every event in the stream.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from shared.contracts.envelope import catalogue

REQUIRED = ("id", "source", "specversion", "type")
ATTRIBUTE_NAME = re.compile(r"^[a-z0-9]{1,20}$")
TYPE = re.compile(r"^wir\.[a-z_]+\.[a-z_]+$")
# RFC 3339 in UTC: ends in Z or +00:00.
# CloudEvents distributed-tracing extension: W3C traceparent, when present.
TRACEPARENT = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")
UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")
CONTENT_TYPE = "application/cloudevents+json"


def problems(subject: str, headers: Mapping[str, str] | None, body: bytes) -> list[str]:
    """Everything non-conformant about one message; empty when it conforms."""
    try:
        event: Any = json.loads(body)
    except ValueError as exc:
        return [f"body is not JSON: {exc}"]
    if not isinstance(event, dict):
        return ["body is not a JSON object"]
    found = [f"required attribute {a!r} missing or empty" for a in REQUIRED if not event.get(a)]
    found += _attributes(subject, event)
    found += _headers(headers or {}, event)
    return found


def _attributes(subject: str, event: dict[str, Any]) -> list[str]:
    found: list[str] = []
    bad_names = [a for a in event if a != "data" and not ATTRIBUTE_NAME.match(a)]
    found += [f"attribute name {a!r} is not [a-z0-9]{{1,20}}" for a in bad_names]
    if event.get("specversion") != "1.0":
        found.append(f"specversion is {event.get('specversion')!r}, not '1.0'")
    kind = str(event.get("type", ""))
    if not TYPE.match(kind):
        found.append(f"type {kind!r} is not wir.<domain>.<event>")
    if not str(event.get("source", "")).startswith("urn:wir:"):
        found.append(f"source {event.get('source')!r} is not a urn:wir: URI")
    if not UTC_TIME.match(str(event.get("time", ""))):
        found.append(f"time {event.get('time')!r} is not an RFC 3339 time in UTC")
    if "traceparent" in event and not TRACEPARENT.match(str(event["traceparent"])):
        found.append(f"traceparent {event['traceparent']!r} is not a W3C traceparent")
    if "tracestate" in event and "traceparent" not in event:
        found.append("tracestate without traceparent")
    if event.get("datacontenttype") != "application/json":
        found.append("datacontenttype is not application/json")
    if subject != f"{kind}.{event.get('subject')}":
        found.append(f"NATS subject {subject!r} is not <type>.<subject>")
    model = catalogue().get(kind)
    if model is None:
        found.append(f"type {kind!r} is not in the catalogue")
        return found
    if event.get("dataschema") != model.schema_uri():
        found.append(f"dataschema {event.get('dataschema')!r} is not {model.schema_uri()!r}")
    try:
        model.model_validate(event.get("data"))
    except ValidationError as exc:
        found.append(f"data does not match {model.schema_uri()}: {exc}")
    return found


def _headers(headers: Mapping[str, str], event: dict[str, Any]) -> list[str]:
    found = []
    if headers.get("Nats-Msg-Id") != event.get("id"):
        found.append("Nats-Msg-Id header is not the event id")
    if headers.get("Content-Type") != CONTENT_TYPE:
        found.append(f"Content-Type header is not {CONTENT_TYPE}")
    return found
