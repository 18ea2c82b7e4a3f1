"""Letters over HTTP on the dev server: the Zuwendungsbescheid and the
Rückforderungsbescheid downloaded as PDF and read back, with the organisation's postal
address and the deciding officer's name from their token."""

from __future__ import annotations

import io

import httpx
import pypdf

from shared.auth import Role
from tests import auth
from tests import grant_flows as flow

ADDRESS = {"street": "Bahnhofstraße 12", "postal_code": "35037", "city": "Marburg"}


async def _file_number(client: httpx.AsyncClient, application_id: str) -> str:
    """The Aktenzeichen: the application's file number."""
    number = (await client.get(f"/applications/{application_id}")).json()["file_number"]
    assert number.startswith("WIR-")
    return str(number)


def _text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_postal_addresses_of_organisations(applications: httpx.AsyncClient) -> None:
    created = await applications.post(
        "/organisations",
        json={"name": "Verein Brücke e.V.", "applicant_type": "independent_org", **ADDRESS},
    )
    assert created.status_code == 201, created.text
    assert {k: created.json()[k] for k in ADDRESS} == ADDRESS
    org = created.json()["id"]
    bad = await applications.put(
        f"/organisations/{org}/address", json={**ADDRESS, "postal_code": "3503"}
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    partial = await applications.put(f"/organisations/{org}/address", json={"city": "Marburg"})
    assert partial.status_code == 422
    stranger = auth.headers("fremd", Role.applicant, organisation="another-org")
    hidden = await applications.put(f"/organisations/{org}/address", json=ADDRESS, headers=stranger)
    assert hidden.status_code == 404
    unchanged = await applications.get(f"/organisations/{org}")
    assert unchanged.json()["postal_code"] == "35037"
    own = auth.headers("verein.kontakt", Role.applicant, organisation=org)
    moved = await applications.put(
        f"/organisations/{org}/address",
        json={
            "addressee": "Vorstand",
            "street": "Am Grün 1",
            "postal_code": "35037",
            "city": "Marburg",
        },
        headers=own,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["addressee"] == "Vorstand" and moved.json()["street"] == "Am Grün 1"


async def test_the_bescheid_as_pdf_signed_with_the_name_claim(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    org = await flow.organisation(applications, name="Marburg-Biedenkopf", **ADDRESS)
    application_id = await flow.draft(applications, org, round_id)
    path = f"/applications/{application_id}"
    assert (await applications.get(f"{path}/bescheid.pdf")).status_code == 409
    await flow.submitted_in_review(applications, application_id)
    await flow.reviewed(applications, application_id)
    approver = auth.headers("jonas.approver", Role.approver, name="Jonas Becker")
    approved = await applications.post(
        f"{path}/decision",
        json={"decision": "approve", "granted_amount": "75000.00"},
        headers=approver,
    )
    assert approved.status_code == 200, approved.text

    number = await _file_number(applications, application_id)
    downloaded = await applications.get(f"{path}/bescheid.pdf")
    assert downloaded.headers["content-disposition"] == (
        f'attachment; filename="Zuwendungsbescheid-{number}.pdf"'
    )
    text = _text(downloaded)
    for expected in (
        "Zuwendungsbescheid",
        "75.000,00 EUR",
        f"Aktenzeichen {number}",
        "Marburg-Biedenkopf\nBahnhofstraße 12\n35037 Marburg",
        "Jonas Becker",
        "Seite 1 von",
    ):
        assert expected in text, expected
    assert "jonas.approver" not in text
    negotiated = await applications.get(f"{path}/bescheid", headers={"Accept": "application/pdf"})
    assert _text(negotiated) == text
    html = await applications.get(f"{path}/bescheid", headers={"Accept": "text/html,*/*;q=0.8"})
    assert html.headers["content-type"].startswith("text/html")
    assert "Jonas Becker" in html.text and "Bahnhofstraße 12" in html.text

    applicant = await flow.applicant(applications, application_id)
    assert (await applications.get(f"{path}/bescheid.pdf", headers=applicant)).status_code == 200
    stranger = auth.headers("fremd", Role.applicant, organisation="another-org")
    assert (await applications.get(f"{path}/bescheid.pdf", headers=stranger)).status_code == 404
    # the name never went into an event
    history = (await applications.get(path)).json()["history"]
    assert "Jonas Becker" not in str(history)


async def test_the_rueckforderungsbescheid_after_a_reclaim(applications: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(applications)
    org = await flow.organisation(applications, name="Marburg-Biedenkopf", **ADDRESS)
    application_id = await flow.draft(applications, org, round_id)
    await flow.submitted_in_review(applications, application_id)
    await flow.reviewed(applications, application_id)
    assert (await flow.approve(applications, application_id, "75000.00")).status_code == 200
    await flow.funded(applications, application_id)
    path = f"/applications/{application_id}"
    applicant = await flow.applicant(applications, application_id)
    assert (await applications.get(f"{path}/reclaim-notice.pdf")).status_code == 409
    requested = await applications.post(
        f"{path}/payments", json={"amount": "50000.00"}, headers=applicant
    )
    payment_id = requested.json()["payments"][0]["id"]
    await applications.post(f"{path}/payments/{payment_id}/decision", json={"approve": True})
    report = await applications.post(
        f"{path}/final-report",
        json={"spent_amount": "42000.00", "summary": "Sachbericht"},
        headers=applicant,
    )
    assert report.json()["stage"] == "report_submitted", report.text
    reclaim = await applications.post(
        f"{path}/final-report/review",
        json={"outcome": "reclaim", "reclaim_amount": "8000.00", "reason": "nicht verausgabt"},
    )
    assert reclaim.json()["stage"] == "reclaim", reclaim.text

    number = await _file_number(applications, application_id)
    downloaded = await applications.get(f"{path}/reclaim-notice.pdf", headers=applicant)
    assert downloaded.headers["content-disposition"] == (
        f'attachment; filename="Rueckforderungsbescheid-{number}.pdf"'
    )
    text = _text(downloaded)
    for expected in (
        "Rückforderungsbescheid",
        "8.000,00 EUR",
        "50.000,00 EUR",
        "42.000,00 EUR",
        "Im Einzelnen: nicht verausgabt",
        f"Aktenzeichen {number}",
        "Bahnhofstraße 12\n35037 Marburg",
        "petra.officer",  # no name claim, no directory entry: the user id signs
        "Seite 1 von",
    ):
        assert expected in text, expected
    html = await applications.get(f"{path}/reclaim-notice")
    assert html.headers["content-type"].startswith("text/html")
    assert "8.000,00 EUR" in html.text and "nicht verausgabt" in html.text
    negotiated = await applications.get(
        f"{path}/reclaim-notice", headers={"Accept": "application/pdf"}
    )
    assert _text(negotiated) == text
