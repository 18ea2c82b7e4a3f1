"""The CloudEvents envelope and the event catalogue."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from shared.contracts.envelope import CloudEvent, build_event, catalogue, event_model
from shared.contracts.events.application import ApplicationApproved
from shared.contracts.events.case import CaseOpened

DOMAINS = {"application", "audit", "case", "coordination", "notification"}

PERSONAL_FIELDS = {
    "name",
    "given_name",
    "family_name",
    "birth_date",
    "address",
    "nationality",
    "phone",
    "email",
    "health",
}


def test_envelope_of_an_approval() -> None:
    at = datetime(2027, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    data = ApplicationApproved(
        application_id="a-1",
        organisation_id="o-1",
        priority_code="coordination",
        stage="approved",
        seq=3,
        actor="jonas",
        requested_amount=Decimal("100"),
        granted_amount=Decimal("90.50"),
        final_report_due_at=at,
    )
    event = build_event(event_id="e-1", data=data, time=at)
    assert event.specversion == "1.0"
    assert event.type == "wir.application.approved"
    assert event.source == "urn:wir:application"
    assert event.subject == "a-1"
    assert event.nats_subject == "wir.application.approved.a-1"
    assert event.time.tzinfo is UTC and event.time.hour == 9
    assert event.data["granted_amount"] == "90.50"
    assert event.dataschema == "urn:wir:schema:wir.application.approved:1"
    roundtrip = CloudEvent.model_validate_json(event.model_dump_json())
    assert roundtrip.payload() == data


def test_every_event_type_is_named_after_its_domain_and_carries_no_personal_fields() -> None:
    types = catalogue()
    assert len(types) >= 20
    for name, model in types.items():
        domain = name.split(".")[1]
        assert name.startswith("wir.") and domain in DOMAINS
        assert not PERSONAL_FIELDS & set(model.model_fields), name


def test_unknown_type_and_naive_time_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        event_model("wir.application.teleported")
    data = CaseOpened(
        case_id="c",
        case_manager="anna",
        stage="intake",
        seq=1,
        consent_purposes=["case_management"],
    )
    with pytest.raises(ValidationError, match="time zone"):
        CloudEvent(
            id="x",
            source="urn:wir:case",
            type=data.type_name(),
            subject="c",
            time=datetime(2027, 1, 1),
            data=data.model_dump(mode="json"),
        )


def test_payload_rejects_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        CaseOpened.model_validate(
            {
                "case_id": "c",
                "case_manager": "a",
                "stage": "intake",
                "seq": 1,
                "consent_purposes": ["x"],
                "name": "Jane",
            }
        )


def test_published_catalogue_matches_the_models() -> None:
    """docs/events.md, docs/asyncapi.json and docs/schemas/ are what the models generate."""
    from deploy.events.generate import problems

    stale = problems()
    assert not stale, "run `make generate` and commit docs/:\n" + "\n".join(stale)


def test_drift_check_notices_a_changed_model(tmp_path: Path) -> None:
    from deploy.events.generate import problems, write

    write(tmp_path)
    assert problems(tmp_path) == []
    schema = tmp_path / "docs" / "schemas" / "wir.application.approved.v1.json"
    schema.write_text(schema.read_text().replace("granted_amount", "amount_granted"))
    (tmp_path / "docs" / "schemas" / "wir.application.approved.v9.json").write_text("{}")
    found = problems(tmp_path)
    assert "docs/schemas/wir.application.approved.v1.json is missing or stale" in found
    assert any("v9.json belongs to no event type" in line for line in found)


def test_schemas_and_asyncapi_cover_every_registered_type() -> None:
    from shared.event_schemas import asyncapi, json_schema

    document = asyncapi()
    assert document["asyncapi"] == "3.0.0"
    for name, model in catalogue().items():
        schema = json_schema(name)
        assert schema["$id"] == model.schema_uri() == f"urn:wir:schema:{name}:{model.version}"
        assert set(schema["required"]) >= {"seq", "stage"}
        channel = document["channels"][name]
        assert channel["address"] == f"{name}.{{id}}"
        message = document["components"]["messages"][name]
        envelope = message["payload"]["allOf"][1]["properties"]
        assert envelope["dataschema"] == {"const": model.schema_uri()}
        ref = envelope["data"]["$ref"].rsplit("/", 1)[-1]
        assert document["components"]["schemas"][ref]["properties"].keys() == set(
            model.model_fields
        )
        assert document["operations"][f"receive.{name}"]["action"] == "receive"
    # every $ref resolves inside the document
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node: Any = document
        for part in ref.split("/"):
            node = node[part]
