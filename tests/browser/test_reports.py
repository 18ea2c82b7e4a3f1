"""The funding period in the browser: the applicant's interim report (refused before it is
due, the text kept) and final report, the
office's review of the final report with a reclaim, and the repayment that closes it."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.async_api import Page, expect

from tests import grant_flows as flow
from tests.browser.pages import check_page, sign_in, sign_out
from tests.browser.test_grant_journey import _reload_until


async def test_reports_reclaim_and_repayment(page: Page, office: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(office)
    organisation = await flow.organisation(office, name="Main-Kinzig-Kreis")
    application_id = await flow.draft(office, organisation, round_id)
    await flow.submitted_in_review(office, application_id)
    await flow.reviewed(office, application_id)
    approved = await flow.approve(office, application_id, "80000.00")
    assert approved.status_code == 200, approved.text
    await flow.funded(office, application_id)
    applicant = await flow.applicant(office, application_id)
    requested = await office.post(
        f"/applications/{application_id}/payments", json={"amount": "50000.00"}, headers=applicant
    )
    payment = requested.json()["payments"][0]["id"]
    paid = await office.post(
        f"/applications/{application_id}/payments/{payment}/decision", json={"approve": True}
    )
    assert paid.status_code == 200, paid.text
    url = f"/applications/{application_id}"

    await sign_in(page, "verein", "applicant", organisation=organisation)
    await page.goto(url)
    await page.get_by_label("Bericht über das Jahr").fill("Im ersten Jahr 60 Fälle begleitet")
    await page.get_by_role("button", name="Zwischennachweis einreichen").click()
    # not due yet in the first weeks: the API's 409 at the top, the text typed kept
    await expect(page.locator(".error-summary")).to_contain_text("report 1")
    await expect(page.get_by_label("Bericht über das Jahr")).to_have_value(
        "Im ersten Jahr 60 Fälle begleitet"
    )
    await page.get_by_label("Verausgabter Betrag in Euro").fill("40.000,00")
    await page.get_by_label("Sachbericht").fill("146 Fälle begleitet")
    await check_page(page, "final-report")
    await page.get_by_role("button", name="Verwendungsnachweis einreichen").click()
    await expect(page.get_by_text("Der Verwendungsnachweis ist eingereicht.")).to_be_visible()
    await sign_out(page)

    await sign_in(page, "petra.officer", "programme_officer")
    await page.goto(url)
    await _reload_until(page, "Verwendungsnachweis eingereicht")
    await page.get_by_label("Ergebnis").select_option("reclaim")
    await page.get_by_label("Rückforderungsbetrag in Euro").fill("10.000,00")
    await page.locator("#report_reason").fill("nicht verausgabt")
    await page.get_by_role("button", name="Prüfung speichern").click()
    await expect(
        page.get_by_text("Die Prüfung des Verwendungsnachweises ist gespeichert.")
    ).to_be_visible()
    await _reload_until(page, "Rückforderung offen")
    # the letters: the Bescheid and the Rückforderungsbescheid as PDF
    for link, name in (
        ("Der Bescheid als PDF", "bescheid"),
        ("Der Rückforderungsbescheid als PDF", "rueckforderungsbescheid"),
    ):
        async with page.expect_download() as download_info:
            await page.get_by_role("link", name=link).click()
        letter = await download_info.value
        assert Path(await letter.path()).read_bytes().startswith(b"%PDF"), name
    await page.get_by_label("Zurückgezahlter Betrag in Euro").fill("10.000,00")
    await check_page(page)
    await page.get_by_role("button", name="Rückzahlung verbuchen").click()
    await expect(page.get_by_text("Die Rückzahlung ist verbucht.")).to_be_visible()
    await _reload_until(page, "Abgeschlossen")
