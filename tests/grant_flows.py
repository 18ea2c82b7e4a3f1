"""Steps of the grant programme over HTTP, shared by the integration, e2e and fault tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from shared.auth import Role
from tests import auth
from tests.servers import eventually

REVIEWER = auth.headers("rita.reviewer", Role.reviewer)
APPROVER = auth.headers("jonas.approver", Role.approver)
FULL_SCORES = {"need": 25, "concept": 25, "cooperation": 15, "sustainability": 15}


def period(months: int = 12) -> tuple[date, date]:
    start = datetime.now(UTC).date() + timedelta(days=14)
    return start, start + timedelta(days=30 * months)


async def open_round(
    client: httpx.AsyncClient, *, budgets: dict[str, str] | None = None, **fields: Any
) -> str:
    """A round open now for a month, funding periods within the next three years."""
    now = datetime.now(UTC)
    round_id = f"r{uuid.uuid4().hex[:10]}"
    body: dict[str, Any] = {
        "id": round_id,
        "title": "WIR-Förderaufruf (Test)",
        "submission_opens_at": (now - timedelta(days=1)).isoformat(),
        "submission_closes_at": (now + timedelta(days=30)).isoformat(),
        "period_earliest_start": now.date().isoformat(),
        "period_latest_end": (now + timedelta(days=3 * 365)).date().isoformat(),
        "budgets": budgets
        or {
            code: "1000000.00"
            for code in ("coordination", "case_management", "diversity_strategy", "refugee_women")
        },
        **fields,
    }
    created = await client.post("/rounds", json=body)
    assert created.status_code == 201, created.text
    opened = await client.post(f"/rounds/{round_id}/open")
    assert opened.status_code == 200, opened.text
    return round_id


async def organisation(
    client: httpx.AsyncClient,
    *,
    name: str = "Marburg-Biedenkopf",
    applicant_type: str = "district",
    **fields: Any,
) -> str:
    """A new organisation for the test: the tests of a session share one database, and a
    name given there before is created as a different body of that name."""
    body = {"name": name, "applicant_type": applicant_type, **fields}
    response = await client.post("/organisations", json=body)
    if response.status_code == 409:
        existing = response.json()["existing_id"]
        response = await client.post("/organisations", json={**body, "distinct_from": existing})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def content(requested: str = "80000.00", *, months: int = 12, **fields: Any) -> dict[str, Any]:
    """Application content whose sums add up: costs = requested + 10 % own contribution."""
    amount = Decimal(requested)
    own = (amount / 9).quantize(Decimal("0.01"))
    start, end = period(months)
    return {
        "title": "WIR-Koordination",
        "description": "Koordination der Integrationsarbeit im Landkreis",
        "target_group": "Zugewanderte und Geflüchtete",
        "place": "Marburg",
        "funding_period_start": start.isoformat(),
        "funding_period_end": end.isoformat(),
        "cost_lines": [
            {
                "category": "personnel",
                "description": "Koordinationsstelle (0,5 VZÄ)",
                "amount": str(amount + own - Decimal("1000.00")),
            },
            {"category": "material", "description": "Sachkosten", "amount": "1000.00"},
        ],
        "own_contribution": str(own),
        "third_party_contribution": "0.00",
        "requested_amount": str(amount),
        **fields,
    }


async def draft(
    client: httpx.AsyncClient,
    organisation_id: str,
    round_id: str,
    *,
    priority: str = "coordination",
    requested: str = "80000.00",
    **fields: Any,
) -> str:
    body = {
        "organisation_id": organisation_id,
        "round_id": round_id,
        "priority_code": priority,
        **content(requested),
        **fields,
    }
    response = await client.post("/applications", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def stage(client: httpx.AsyncClient, application_id: str, wanted: str) -> dict[str, Any]:
    async def probe() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(f"/applications/{application_id}")).json()
        return body if body["stage"] == wanted else None

    return await eventually(probe, timeout=20)


async def submitted_in_review(client: httpx.AsyncClient, application_id: str) -> None:
    response = await client.post(f"/applications/{application_id}/submit")
    assert response.status_code == 202, response.text
    await stage(client, application_id, "in_review")


async def reviewed(
    client: httpx.AsyncClient, application_id: str, *, recommendation: str = "approve"
) -> dict[str, Any]:
    assigned = await client.post(
        f"/applications/{application_id}/reviewer", json={"reviewer": "rita.reviewer"}
    )
    assert assigned.status_code == 200, assigned.text
    scored = await client.post(
        f"/applications/{application_id}/review",
        json={"scores": FULL_SCORES, "comment": "schlüssig", "recommendation": recommendation},
        headers=REVIEWER,
    )
    assert scored.status_code == 200, scored.text
    body: dict[str, Any] = scored.json()
    return body


async def approve(client: httpx.AsyncClient, application_id: str, amount: str) -> httpx.Response:
    return await client.post(
        f"/applications/{application_id}/decision",
        json={"decision": "approve", "granted_amount": amount},
        headers=APPROVER,
    )


async def applicant(client: httpx.AsyncClient, application_id: str) -> dict[str, str]:
    """Headers of the applicant organisation's contact person for this application."""
    response = await client.get(f"/applications/{application_id}")
    assert response.status_code == 200, response.text
    organisation_id = response.json()["organisation_id"]
    return auth.headers("verein.kontakt", Role.applicant, organisation=organisation_id)


async def funded(client: httpx.AsyncClient, application_id: str) -> dict[str, Any]:
    """Waive the appeal (Rechtsbehelfsverzicht) so the funding period starts at once."""
    waived = await client.post(
        f"/applications/{application_id}/appeal-waiver",
        headers=await applicant(client, application_id),
    )
    assert waived.status_code == 200, waived.text
    return await stage(client, application_id, "active")
