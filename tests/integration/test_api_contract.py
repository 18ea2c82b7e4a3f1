"""What every service answers besides its routes' own results, over real HTTP: 405 with
``Allow``, unknown query parameters refused, the API docs without internet, and the
refusals the OpenAPI documents promise (shared/app.py, shared/query.py, shared/docs.py)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from shared.headers import DOCS_POLICY
from tests import grant_flows as flow

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("TRACE", "/health", "GET"), ("POST", "/health", "GET"), ("PUT", "/cases", "GET, POST")],
)
async def test_a_405_names_every_method_of_the_path(
    cases: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    answer = await cases.request(method, path)
    assert answer.status_code == 405
    assert answer.headers["allow"] == allowed
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["title"] == "Method Not Allowed"


async def test_unknown_query_parameters_are_refused_and_change_nothing(
    cases: httpx.AsyncClient,
) -> None:
    listed = await cases.get("/cases", params={"stgae": "intake", "limit": 1})
    assert listed.status_code == 422, listed.text
    assert listed.headers["content-type"] == PROBLEM
    assert [e["loc"] for e in listed.json()["errors"]] == [["query", "stgae"]]
    # the declared ones, the pager's included, still work; so does a public route
    assert (await cases.get("/cases", params={"stage": "intake", "limit": 1})).status_code == 200
    assert (await cases.get("/offers", params={"sort": "x"})).status_code == 422
    before = (await cases.get("/cases")).json()["total"]
    person = {"given_name": "Query", "family_name": "Check"}
    body = {"person": person, "consent": {"given": True, "purposes": ["case_management"]}}
    refused = await cases.post("/cases", params={"dry_run": "1"}, json=body)
    assert refused.status_code == 422, refused.text
    assert (await cases.get("/cases")).json()["total"] == before


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_api_docs_load_nothing_from_elsewhere(
    applications: httpx.AsyncClient, page: str
) -> None:
    answer = await applications.get(page, headers={"Authorization": ""})
    assert answer.status_code == 200
    assert answer.headers["content-security-policy"] == DOCS_POLICY
    assert "http:" not in DOCS_POLICY and "https:" not in DOCS_POLICY
    assert "'unsafe-inline'" not in DOCS_POLICY.split("script-src")[1].split(";")[0]
    assert not re.search(r"https?://", answer.text), answer.text
    assert "<script>" not in answer.text  # no inline script: the policy allows none
    assets = re.findall(r'(?:src|href)="([^"]+)"', answer.text)
    assert assets and all(a.startswith("/docs/static/") for a in assets)
    for asset in assets:
        loaded = await applications.get(asset, headers={"Authorization": ""})
        assert loaded.status_code == 200, asset
        assert loaded.headers["content-type"].split(";")[0] in {
            "text/javascript",
            "text/css",
            "image/png",
        }
    assert (await applications.get("/docs/static/../app.py")).status_code == 404
    assert (await applications.get("/docs/static/other.js")).status_code == 404
    document = await applications.get("/openapi.json", headers={"Authorization": ""})
    assert document.status_code == 200


async def test_a_round_closing_when_it_opens_is_refused_with_a_field_error(
    applications: httpx.AsyncClient,
) -> None:
    at = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0).isoformat()
    round_id = f"c{uuid.uuid4().hex[:10]}"
    answer = await applications.post(
        "/rounds",
        json={
            "id": round_id,
            "title": "Gleich",
            "submission_opens_at": at,
            "submission_closes_at": at,
            "period_earliest_start": "2030-01-01",
            "period_latest_end": "2030-12-31",
            "budgets": {"coordination": "1000.00"},
        },
    )
    assert answer.status_code == 422, answer.text
    assert [e["loc"] for e in answer.json()["errors"]] == [["body", "submission_closes_at"]]
    assert (await applications.get(f"/rounds/{round_id}")).status_code == 404


@pytest.mark.parametrize("amount", ["", "1.234", "0", "\u0665\u0660"])
async def test_a_payment_amount_the_document_refuses_is_refused(
    applications: httpx.AsyncClient, amount: str
) -> None:
    round_id = await flow.open_round(applications)
    application = await flow.draft(applications, await flow.organisation(applications), round_id)
    answer = await applications.post(
        f"/applications/{application}/payments", json={"amount": amount}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["loc"][:2] == ["body", "amount"]


async def test_rules_json_schema_cannot_say_are_refused_with_field_errors(
    applications: httpx.AsyncClient, cases: httpx.AsyncClient
) -> None:
    """Cross-field and catalogue rules: said in the descriptions, refused naming the field."""
    criterion = {"code": "need", "title": "Bedarf", "max_points": 50}
    before = (await applications.get("/priorities/coordination")).json()["criteria"]
    twice = await applications.put(
        "/priorities/coordination/criteria", json={"criteria": [criterion, criterion]}
    )
    assert twice.status_code == 422, twice.text
    assert [e["loc"] for e in twice.json()["errors"]] == [["body", "criteria"]]
    assert (await applications.get("/priorities/coordination")).json()["criteria"] == before
    unknown = await applications.post(
        "/organisations", json={"name": "Landkreis Nirgendwo", "applicant_type": "district"}
    )
    assert unknown.status_code == 422, unknown.text
    assert [e["loc"] for e in unknown.json()["errors"]] == [["body", "name"]]
    for params, field in [
        ({"from": "2030-01-01", "to": "2029-01-01"}, "from"),
        ({"from": "2029-01-01", "to": "2300-01-01"}, "to"),
    ]:
        answer = await cases.get("/statistics", params=params)
        assert answer.status_code == 422, answer.text
        assert [e["loc"] for e in answer.json()["errors"]] == [["query", field]]
