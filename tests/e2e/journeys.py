"""Journeys over HTTP that the e2e tests drive: a grant application from round to closed,
and a refugee case from intake to its assessment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests import grant_flows as flow

PERSON: dict[str, Any] = {
    "given_name": "Amina",
    "family_name": "Haddadi",
    "birth_date": "1994-05-17",
    "languages": ["ar", "fr"],
    "phone": "+49 6421 555 0188",
    "email": "amina.haddadi@example.org",
    "address": "Lindenweg 7, 35037 Marburg",
    "residence_status": "Aufenthaltserlaubnis § 25 Abs. 2 AufenthG",
    "family_situation": "married, two children",
}


@dataclass(frozen=True)
class ClosedApplication:
    round_id: str
    organisation_id: str
    application_id: str


async def application_to_closed(applications: httpx.AsyncClient) -> ClosedApplication:
    """A round opens; an application goes through review, four-eyes approval, Bescheid,
    payment, Verwendungsnachweis and acceptance to closed."""
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications, name="Werra-Meißner-Kreis")
    application_id = await flow.draft(
        applications,
        organisation_id,
        round_id,
        priority="case_management",
        requested="120000.00",
        title="WIR-Fallmanagement 2027",
    )
    path = f"/applications/{application_id}"
    await flow.submitted_in_review(applications, application_id)
    await flow.reviewed(applications, application_id)
    approved = await flow.approve(applications, application_id, "110000.00")
    assert approved.status_code == 200, approved.text
    bescheid = await applications.get(f"{path}/bescheid")
    assert bescheid.status_code == 200
    assert "110.000,00" in bescheid.text and "ANBest-GK" in bescheid.text
    await flow.funded(applications, application_id)
    payment = await applications.post(
        f"{path}/payments",
        json={"amount": "110000.00"},
        headers=await flow.applicant(applications, application_id),
    )
    payment_id = payment.json()["payments"][0]["id"]
    await applications.post(f"{path}/payments/{payment_id}/decision", json={"approve": True})
    await applications.post(
        f"{path}/final-report",
        json={"spent_amount": "110000.00", "summary": "Sachbericht"},
        headers=await flow.applicant(applications, application_id),
    )
    closed = await applications.post(f"{path}/final-report/review", json={"outcome": "accept"})
    assert closed.json()["stage"] == "closed", closed.text
    return ClosedApplication(round_id, organisation_id, application_id)


async def case_assessed(cases: httpx.AsyncClient) -> str:
    """A case opened at intake with consent, then assessed; its id. The workflow publishes
    one event at a time, so once the assessment is answered ``opened`` is stored too."""
    intake = await cases.post(
        "/cases",
        json={"person": PERSON, "consent": {"given": True, "purposes": ["case_management"]}},
    )
    assert intake.status_code == 201, intake.text
    case_id = str(intake.json()["id"])
    assessed = await cases.post(
        f"/cases/{case_id}/assessment",
        json={"needs": ["language", "employment", "health_access"], "notes": "Asthma"},
    )
    assert assessed.status_code == 200, assessed.text
    return case_id
