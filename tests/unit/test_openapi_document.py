"""shared/openapi.py and the request schemas: each service's OpenAPI document names the
error answers its operations give, as problem details, and refuses what validation refuses.

The apps are built, not started: ``app.openapi()`` needs no database, NATS or Temporal.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from pydantic import BaseModel, ValidationError

from services.applications.applications.schemas import CostLine
from services.applications.catalogue.schemas import CriterionIn
from services.applications.funding.schemas import PaymentIn
from services.applications.review.schemas import ReviewIn
from services.cases.cases.schemas import ConsentIn
from services.notifications.settings import NotificationSettings

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _apps() -> dict[str, FastAPI]:
    from services.applications.app import create_app as applications
    from services.cases.app import create_app as cases
    from services.codec.app import create_app as codec
    from services.notifications.app import create_app as notifications

    settings = NotificationSettings()
    return {
        "applications": applications(settings),
        "cases": cases(settings),
        "notifications": notifications(settings),
        "codec": codec(settings),
    }


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    return {name: app.openapi() for name, app in _apps().items()}


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_document_is_valid_and_its_errors_are_problem_details(
    documents: dict[str, dict[str, Any]],
) -> None:
    for name, document in documents.items():
        validate(document)
        assert "HTTPValidationError" not in str(document), name
        assert "Problem" in document["components"]["schemas"]
        for method, path, operation in _operations(document):
            errors = {s: r for s, r in operation["responses"].items() if s >= "400"}
            assert "422" in errors, (name, method, path)  # unknown query parameters
            for status, answer in errors.items():
                assert answer["content"] == PROBLEM, (name, method, path, status)


def test_only_the_errors_an_operation_can_give_are_listed(
    documents: dict[str, dict[str, Any]],
) -> None:
    for name, document in documents.items():
        for method, path, operation in _operations(document):
            statuses = set(operation["responses"])
            where = (name, method, path)
            assert ("401" in statuses) == bool(operation.get("security")), where
            assert "403" not in statuses or "401" in statuses, where
            assert ("413" in statuses) == ("requestBody" in operation), where
            assert ("400" in statuses) == ("requestBody" in operation), where
            assert ("404" in statuses) == ("{" in path), where
            if method == "get":  # only letters not issued yet, and matches for a closed
                # case, answer a read with 409
                refusable = any(
                    part in path for part in ("/bescheid", "/reclaim-notice", "/volunteer-matches")
                )
                assert ("409" in statuses) == refusable, where
            assert ("429" in statuses) == (path != "/health"), where
    # 403 where a dependency checks roles or the record, not where any signed-in user may
    applications = documents["applications"]["paths"]
    assert "403" not in applications["/priorities"]["get"]["responses"]
    assert "403" in applications["/priorities/{code}/rule"]["put"]["responses"]
    assert "403" in documents["codec"]["paths"]["/decode"]["post"]["responses"]
    cases = documents["cases"]["paths"]
    assert "403" in cases["/cases/{case_id}"]["get"]["responses"]
    assert "WWW-Authenticate" in cases["/cases"]["get"]["responses"]["401"]["headers"]
    assert "Retry-After" in cases["/offers"]["get"]["responses"]["429"]["headers"]
    assert "503" in cases["/cases"]["post"]["responses"]
    assert "503" not in documents["codec"]["paths"]["/decode"]["post"]["responses"]


def test_intake_documents_the_case_and_the_answer_without_consent(
    documents: dict[str, dict[str, Any]],
) -> None:
    responses = documents["cases"]["paths"]["/cases"]["post"]["responses"]
    schema = documents["cases"]["components"]["schemas"]

    def ref(status: str) -> str:
        return str(responses[status]["content"]["application/json"]["schema"]["$ref"])

    assert ref("201").endswith("/CaseOut")
    assert ref("200").endswith("/NoCaseOut")
    no_case = schema["NoCaseOut"]["properties"]
    assert no_case["kind"]["const"] == "no_case" and "id" not in no_case


def _validator(document: dict[str, Any], name: str) -> OAS31Validator:
    return OAS31Validator(
        {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    )


LINE = {"category": "personnel", "description": "x"}


def _id(value: object) -> str:
    return value.__name__ if isinstance(value, type) else str(value)[:50]


# (service, schema in its document, model, instance) that both refuse
REFUSED: list[tuple[str, str, type[BaseModel], dict[str, Any]]] = [
    ("applications", "CostLine", CostLine, {**LINE, "amount": ""}),
    (
        "applications",
        "CostLine",
        CostLine,
        {**LINE, "amount": "1.234"},
    ),
    ("applications", "CostLine", CostLine, {**LINE, "amount": -1}),
    ("applications", "PaymentIn", PaymentIn, {"amount": "0.00"}),
    ("applications", "PaymentIn", PaymentIn, {"amount": "100000000.01"}),
    ("applications", "CriterionIn", CriterionIn, {"code": "", "title": "t", "max_points": 5}),
    ("applications", "CriterionIn", CriterionIn, {"code": "a\nb", "title": "t", "max_points": 5}),
    (
        "applications",
        "CriterionIn",
        CriterionIn,
        {"code": "a", "title": "a\u0007", "max_points": 5},
    ),
    ("applications", "CriterionIn", CriterionIn, {"code": "a", "title": "t", "max_points": 2**63}),
    ("applications", "ReviewIn", ReviewIn, {"scores": {"a": 2**63}, "recommendation": "approve"}),
    ("cases", "ConsentIn", ConsentIn, {"given": True, "purposes": []}),
    ("cases", "ConsentIn", ConsentIn, {"given": True}),
]
ACCEPTED: list[tuple[str, str, type[BaseModel], dict[str, Any]]] = [
    (
        "applications",
        "CostLine",
        CostLine,
        {**LINE, "amount": "0"},
    ),
    ("applications", "PaymentIn", PaymentIn, {"amount": "100000000.00"}),
    ("applications", "PaymentIn", PaymentIn, {"amount": 0.5}),
    (
        "applications",
        "CriterionIn",
        CriterionIn,
        {"code": "need", "title": "Bedarf", "max_points": 30},
    ),
    ("cases", "ConsentIn", ConsentIn, {"given": False}),
    ("cases", "ConsentIn", ConsentIn, {"given": True, "purposes": ["case_management"]}),
]


@pytest.mark.parametrize(("service", "schema", "model", "instance"), REFUSED, ids=_id)
def test_what_validation_refuses_the_document_refuses(
    documents: dict[str, dict[str, Any]],
    service: str,
    schema: str,
    model: type[BaseModel],
    instance: dict[str, Any],
) -> None:
    assert not _validator(documents[service], schema).is_valid(instance)
    with pytest.raises(ValidationError):
        model.model_validate(instance)


@pytest.mark.parametrize(("service", "schema", "model", "instance"), ACCEPTED, ids=_id)
def test_what_the_document_allows_validation_takes(
    documents: dict[str, dict[str, Any]],
    service: str,
    schema: str,
    model: type[BaseModel],
    instance: dict[str, Any],
) -> None:
    _validator(documents[service], schema).validate(instance)
    model.model_validate(instance)


def test_a_round_closing_when_it_opens_is_a_field_error() -> None:
    from services.applications.rounds.schemas import RoundIn

    with pytest.raises(ValidationError) as refused:
        RoundIn.model_validate(
            {
                "id": "2027",
                "title": "t",
                "submission_opens_at": "2027-01-01T00:00:00Z",
                "submission_closes_at": "2027-01-01T00:00:00Z",
                "period_earliest_start": "2027-01-01",
                "period_latest_end": "2027-12-31",
                "budgets": {"coordination": "1000"},
            }
        )
    assert [e["loc"] for e in refused.value.errors()] == [("submission_closes_at",)]
    description = RoundIn.model_json_schema()["properties"]["submission_closes_at"]
    assert "After submission_opens_at" in description["description"]
