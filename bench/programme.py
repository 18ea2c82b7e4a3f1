"""The grant programme's set-up as the load needs it, over WIR's API: an open funding round,
an applicant organisation, and application content whose sums add up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

#: Full marks in every criterion of the review.
FULL_SCORES = {"need": 25, "concept": 25, "cooperation": 15, "sustainability": 15}


async def open_round(api: httpx.AsyncClient, *, budgets: dict[str, str]) -> str:
    """A round open now for a month, funding periods within the next three years."""
    now = datetime.now(UTC)
    round_id = f"bench{uuid.uuid4().hex[:10]}"
    body = {
        "id": round_id,
        "title": "WIR-Förderaufruf (Benchmark)",
        "submission_opens_at": (now - timedelta(days=1)).isoformat(),
        "submission_closes_at": (now + timedelta(days=30)).isoformat(),
        "period_earliest_start": now.date().isoformat(),
        "period_latest_end": (now + timedelta(days=3 * 365)).date().isoformat(),
        "budgets": budgets,
    }
    (await api.post("/rounds", json=body)).raise_for_status()
    (await api.post(f"/rounds/{round_id}/open")).raise_for_status()
    return round_id


async def organisation(api: httpx.AsyncClient, *, name: str) -> str:
    response = await api.post("/organisations", json={"name": name, "applicant_type": "district"})
    if response.status_code == 409:  # created by an earlier run on the same database
        return str(response.json()["existing_id"])
    response.raise_for_status()
    return str(response.json()["id"])


def content(requested: str) -> dict[str, Any]:
    """A year's coordination project: costs = requested + a tenth of them as own share."""
    amount = Decimal(requested)
    own = (amount / 9).quantize(Decimal("0.01"))
    start = datetime.now(UTC).date() + timedelta(days=14)
    return {
        "title": "WIR-Koordination",
        "description": "Koordination der Integrationsarbeit im Landkreis",
        "target_group": "Zugewanderte und Geflüchtete",
        "place": "Fulda",
        "funding_period_start": start.isoformat(),
        "funding_period_end": (start + timedelta(days=360)).isoformat(),
        "cost_lines": [
            {"category": "personnel", "description": "Koordinationsstelle", "amount": str(own)},
            {"category": "material", "description": "Sachkosten", "amount": str(amount)},
        ],
        "own_contribution": str(own),
        "third_party_contribution": "0.00",
        "requested_amount": str(amount),
    }
