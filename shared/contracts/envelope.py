"""CloudEvents 1.0 envelope and the catalogue of WIR event types.

Every event WIR publishes is a :class:`CloudEvent` whose ``data`` validates against one
pydantic model registered here. The NATS subject of an event is
``wir.<domain>.<event>.<entity_id>``; its CloudEvents ``type`` is ``wir.<domain>.<event>``.
Events carry ids, states, amounts, dates and codes, never personal data of refugees.

An event may carry the CloudEvents distributed-tracing extension (``traceparent`` and
``tracestate``, W3C Trace Context): the trace of the command that led to it, so a
subscriber's work joins that trace (docs/tracing.md). Both are optional and left out of the
JSON when unset, so events without them stay exactly as they were.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SOURCE_PREFIX = "urn:wir"
# ``dataschema`` of an event: ``urn:wir:schema:<type>:<version>``. The same URI is the
# ``$id`` of the published JSON Schema (docs/schemas/<type>.v<version>.json, and
# ``GET /events/schemas/<type>`` on every service).
SCHEMA_BASE = "urn:wir:schema"
# W3C Trace Context: version-traceid-parentid-flags in lower-case hex.
TRACEPARENT_PATTERN = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
# At most 32 list members of printable ASCII (W3C Trace Context allows 512 characters).
TRACESTATE_PATTERN = r"^[\x20-\x7e]{0,512}$"


class EventData(BaseModel):
    """Base of every event payload: the type it is published under and a sequence number."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: ClassVar[str] = ""
    # Raised with every change a subscriber must adapt to (a field removed, renamed or made
    # required); the old version's schema stays published next to the new one.
    version: ClassVar[int] = 1
    # Position of the event in its entity's life; read models apply only newer events.
    seq: int = Field(ge=1)
    stage: str
    actor: str | None = None

    @classmethod
    def type_name(cls) -> str:
        return cls.event_type

    @classmethod
    def schema_uri(cls) -> str:
        return schema_uri(cls.event_type, cls.version)

    def entity_id(self) -> str:
        raise NotImplementedError


class CloudEvent(BaseModel):
    """A CloudEvents 1.0 event in structured JSON mode."""

    model_config = ConfigDict(extra="forbid")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(pattern=r"^wir\.[a-z_]+\.[a-z_]+$")
    subject: str = Field(min_length=1)
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    dataschema: str | None = None
    data: dict[str, Any]
    # Distributed-tracing extension attributes (left out of the JSON when unset).
    traceparent: str | None = Field(
        default=None,
        pattern=TRACEPARENT_PATTERN,
        exclude_if=lambda value: value is None,
        description="W3C traceparent of the trace this event belongs to (CloudEvents "
        "distributed-tracing extension)",
    )
    tracestate: str | None = Field(
        default=None,
        pattern=TRACESTATE_PATTERN,
        exclude_if=lambda value: value is None,
        description="W3C tracestate that goes with traceparent",
    )

    @field_validator("time")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("time must carry a time zone")
        return value.astimezone(UTC)

    @property
    def nats_subject(self) -> str:
        return f"{self.type}.{self.subject}"

    def with_trace(self, traceparent: str, tracestate: str | None = None) -> CloudEvent:
        """This event as part of the trace ``traceparent`` (validated like any field)."""
        fields = self.model_dump()
        fields.update(traceparent=traceparent, tracestate=tracestate or None)
        return CloudEvent.model_validate(fields)

    def payload(self) -> EventData:
        """The typed payload, validated against the registered model."""
        return event_model(self.type).model_validate(self.data)


def schema_uri(event_type: str, version: int) -> str:
    """The ``dataschema`` of ``event_type`` at ``version``."""
    return f"{SCHEMA_BASE}:{event_type}:{version}"


_REGISTRY: dict[str, type[EventData]] = {}


def register(model: type[EventData]) -> type[EventData]:
    name = model.type_name()
    if not name or name in _REGISTRY:
        raise ValueError(f"event type {name!r} is empty or registered twice")
    _REGISTRY[name] = model
    return model


def event_model(event_type: str) -> type[EventData]:
    _load_catalogue()
    try:
        return _REGISTRY[event_type]
    except KeyError:
        raise ValueError(f"unknown event type {event_type!r}") from None


def catalogue() -> dict[str, type[EventData]]:
    _load_catalogue()
    return dict(sorted(_REGISTRY.items()))


def _load_catalogue() -> None:
    # The domain modules register themselves on import.
    from shared.contracts.events import (  # noqa: F401
        application,
        audit,
        case,
        coordination,
        coordination_activities,
        notification,
    )


#: Namespace of WIR's event ids (uuid5 of the workflow id and the event's sequence number).
EVENT_ID_NAMESPACE = uuid.UUID("7d3f4b2e-9c61-5a8e-b0f4-2f5e6c1d8a90")


def derive_event_id(workflow_id: str, seq: int) -> str:
    """The id of an entity's ``seq``-th event: the same on every replay and retry, and never
    the same for two events, whatever order concurrent commands ran in."""
    return str(uuid.uuid5(EVENT_ID_NAMESPACE, f"{workflow_id}#{seq}"))


def build_event(*, event_id: str, data: EventData, time: datetime) -> CloudEvent:
    """Wrap a payload in its envelope. ``event_id`` must be deterministic per workflow step."""
    domain = data.type_name().split(".")[1]
    return CloudEvent(
        id=event_id,
        source=f"{SOURCE_PREFIX}:{domain}",
        type=data.type_name(),
        subject=data.entity_id(),
        time=time,
        dataschema=data.schema_uri(),
        data=data.model_dump(mode="json"),
    )
