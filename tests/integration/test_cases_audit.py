"""A case's audit trail holds what providers did to its referrals: their answer and the
completion are audited under the referral and name the case too, so
``GET /audit?object_id=<case>`` finds them (real service, real database)."""

from __future__ import annotations

from typing import Any

import httpx

from shared.auth import Role
from tests import auth
from tests.case_clients import provider_headers
from tests.servers import eventually

ADMIN = auth.headers("ada.admin", Role.admin)
CONSENT = {"given": True, "purposes": ["case_management", "referral_to_services"]}


async def test_a_providers_answer_and_completion_are_in_the_cases_trail(
    cases: httpx.AsyncClient,
) -> None:
    person = {"given_name": "Dawit", "family_name": "Audit"}
    opened = await cases.post("/cases", json={"person": person, "consent": CONSENT})
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    path = f"/cases/{case_id}"
    await cases.post(f"{path}/assessment", json={"needs": ["language"]})
    offer = (await cases.get("/offers")).json()["items"][0]
    referred = await cases.post(f"{path}/referrals", json={"offer_id": offer["id"]})
    [referral] = referred.json()["referrals"]
    provider = provider_headers(offer)
    answered = await cases.post(
        f"{path}/referrals/{referral['id']}/response", json={"accepted": True}, headers=provider
    )
    assert answered.status_code == 200, answered.text
    completed = await cases.post(
        f"{path}/referrals/{referral['id']}/completion",
        json={"outcome": "successful"},
        headers=provider,
    )
    assert completed.status_code == 200, completed.text

    async def trail() -> dict[str, dict[str, Any]] | None:
        answer = await cases.get("/audit", params={"object_id": case_id}, headers=ADMIN)
        rows = {row["action"]: row for row in answer.json()["items"]}
        return rows if "complete_referral" in rows else None

    rows = await eventually(trail)
    assert {"respond_to_referral", "complete_referral", "refer"} <= set(rows)
    for action in ("respond_to_referral", "complete_referral"):
        row = rows[action]
        assert (row["object_type"], row["object_id"]) == ("referral", referral["id"])
        assert (row["related_type"], row["related_id"]) == ("case", case_id)
        assert row["roles"] == ["provider"]
    by_referral = await cases.get("/audit", params={"object_id": referral["id"]}, headers=ADMIN)
    assert {r["action"] for r in by_referral.json()["items"]} == {
        "respond_to_referral",
        "complete_referral",
    }
