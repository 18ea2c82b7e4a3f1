"""Input the applications and cases services refuse or read as nothing, through HTTP:
names without a visible character, amounts in other digits, a blank partner, and a
migrant organisation that is not non-profit under priority 5."""

from __future__ import annotations

import httpx
import pytest

from services.applications.app import create_app
from shared.settings import WirSettings
from tests import grant_flows as flow
from tests.servers import eventually

PRIORITY_5 = "migrant_organisations"


@pytest.mark.parametrize("name", ["   ", "\u200b", "\u202e", "Ver\x00ein", "Ver\nein"])
async def test_organisation_names_must_be_visible_text(
    applications: httpx.AsyncClient, name: str
) -> None:
    response = await applications.post(
        "/organisations", json={"name": name, "applicant_type": "migrant_org"}
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("name", ["   ", "\u200b", "\u2067", "Sa\x00ra"])
async def test_person_names_must_be_visible_text(cases: httpx.AsyncClient, name: str) -> None:
    intake = {
        "person": {"given_name": name, "family_name": "Ahmadi", "languages": ["fa"]},
        "consent": {"given": True, "purposes": ["case_management"]},
    }
    response = await cases.post("/cases", json=intake)
    assert response.status_code == 422, response.text


async def test_amounts_in_arabic_indic_digits_are_refused(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications)
    five_thousand = "\u0665\u0660\u0660\u0660"
    body = {
        "organisation_id": organisation_id,
        "round_id": round_id,
        "priority_code": "coordination",
        **flow.content("5000.00"),
    }
    body["cost_lines"] = [
        {"category": "material", "description": "Sachkosten", "amount": five_thousand}
    ]
    body.update(own_contribution="0", requested_amount=five_thousand)
    response = await applications.post("/applications", json=body)
    assert response.status_code == 422, response.text
    body["cost_lines"] = [{"category": "material", "description": "Sachkosten", "amount": "5000"}]
    body["requested_amount"] = "5000"
    assert (await applications.post("/applications", json=body)).status_code == 201


async def _priority_5(
    client: httpx.AsyncClient, organisation_id: str, **fields: str | None
) -> dict[str, object]:
    round_id = await flow.open_round(client, budgets={PRIORITY_5: "100000.00"})
    application_id = await flow.draft(
        client, organisation_id, round_id, priority=PRIORITY_5, requested="5000.00", **fields
    )
    submitted = await client.post(f"/applications/{application_id}/submit")
    assert submitted.status_code == 202, submitted.text

    async def decided() -> dict[str, object] | None:
        body: dict[str, object] = (await client.get(f"/applications/{application_id}")).json()
        return body if body["stage"] in ("in_review", "ineligible") else None

    return await eventually(decided, timeout=20)


async def test_a_whitespace_partner_is_no_partner(applications: httpx.AsyncClient) -> None:
    district = await flow.organisation(applications, name="Vogelsbergkreis")
    body = await _priority_5(applications, district, migrant_org_partner="   ")
    assert body["stage"] == "ineligible"
    assert body["migrant_org_partner"] is None


async def test_priority_5_needs_a_non_profit_migrant_org(
    applications: httpx.AsyncClient,
) -> None:
    for_profit = await flow.organisation(
        applications, name="Migranten GmbH", applicant_type="migrant_org", is_non_profit=False
    )
    body = await _priority_5(applications, for_profit)
    assert body["stage"] == "ineligible"
    assert body["ineligible_reasons"] == [
        "applicant type migrant_org is eligible only as a non-profit organisation"
    ]
    non_profit = await flow.organisation(
        applications, name="Migranten e.V.", applicant_type="migrant_org", is_non_profit=True
    )
    assert (await _priority_5(applications, non_profit))["stage"] == "in_review"


def test_the_resubmit_body_names_its_fields_in_openapi() -> None:
    spec = create_app(WirSettings()).openapi()
    operation = spec["paths"]["/applications/{application_id}/resubmit"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert body["additionalProperties"] is False
    assert "organisation_id" not in body["properties"]
    for field in body["properties"]:
        assert f"`{field}`" in operation["description"]
    for draft_only in ("organisation_id", "round_id", "priority_code"):
        assert f"`{draft_only}`" in operation["description"]
    assert "extra_forbidden" in operation["description"]
    assert "resubmission" in body["description"]
