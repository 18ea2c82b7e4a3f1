"""Journey 1 in a real browser: an applicant drafts and submits an application through the
forms; the officer assigns a reviewer, the reviewer scores it, the approver approves; the
applicant downloads the Bescheid, waives the objection and requests a payment. All by
clicking, each page checked with axe-core and for untranslated texts."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.async_api import Page, expect

from tests import grant_flows as flow
from tests.browser.pages import check_page, sign_in, sign_out


async def _reload_until(page: Page, text: str, tries: int = 40) -> None:
    for _ in range(tries):
        if await page.get_by_text(text, exact=True).count():
            return
        await page.wait_for_timeout(250)
        await page.reload()
    await expect(page.get_by_text(text, exact=True).first).to_be_visible()


async def fill_application(page: Page, title: str) -> None:
    start, end = flow.period()
    await page.locator("#priority-case_management").check()
    await page.get_by_label("Titel des Vorhabens").fill(title)
    await page.locator("#description").fill("Fallmanagement im Landkreis")
    await page.locator("#target_group").fill("Geflüchtete im Landkreis")
    await page.locator("#place").fill("Marburg")
    await page.get_by_label("Beginn", exact=True).fill(start.isoformat())
    await page.get_by_label("Ende", exact=True).fill(end.isoformat())
    await page.get_by_label("Kategorie, Zeile 1").select_option("personnel")
    await page.get_by_label("Beschreibung, Zeile 1").fill("Fallmanagerin (1,0 VZÄ)")
    await page.get_by_label("Betrag in Euro, Zeile 1").fill("100.000,00")


async def test_applicant_to_payment(page: Page, office: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(office)
    organisation = await flow.organisation(office, name="Landkreis Marburg-Biedenkopf")

    # the applicant drafts and submits
    await sign_in(page, "verein", "applicant", name="Vera Verein", organisation=organisation)
    await page.get_by_role("link", name="Neuer Antrag").click()
    await page.locator(f'a[href="/applications/new?round={round_id}"]').click()
    await fill_application(page, "WIR-Fallmanagement im Browser")
    await page.get_by_role("button", name="Kostenzeile hinzufügen").click()
    rows = page.locator("[data-cost-row]")
    await expect(rows).to_have_count(2)
    await rows.nth(1).locator("select").select_option("material")
    await rows.nth(1).locator("input[name$=-description]").fill("Sachkosten")
    await rows.nth(1).locator("input[name$=-amount]").fill("8.000,00")
    await page.get_by_label("Eigenanteil in Euro").fill("8.000,00")
    await page.get_by_label("Beantragter Betrag in Euro").fill("100.000,00")
    await expect(page.locator("[data-sums]")).to_contain_text("100.000,00 €")
    await check_page(page, "application-form")
    await page.get_by_role("button", name="Speichern und einreichen").click()
    await expect(page.get_by_text("Der Antrag ist eingereicht.")).to_be_visible()
    application_url = page.url
    await _reload_until(page, "In Prüfung")
    await check_page(page)
    await page.get_by_role("link", name="Meine Anträge").click()
    await expect(page.get_by_role("link", name="WIR-Fallmanagement im Browser")).to_be_visible()
    await check_page(page, "applicant-list")
    await sign_out(page)

    # the officer assigns the reviewer from the work queue; one with a declared conflict
    # of interest is refused, the reason shown at the field
    conflict = {"organisation_id": organisation, "reason": "Vorstandsmitglied des Trägers"}
    declared = await office.post("/reviewers/rolf.reviewer/conflicts", json=conflict)
    assert declared.status_code == 201, declared.text
    await sign_in(page, "petra.officer", "programme_officer", name="Petra Programm")
    await page.get_by_role("link", name="Arbeitsvorrat").click()
    await check_page(page, "work-queue")
    await page.get_by_role("link", name="WIR-Fallmanagement im Browser").first.click()
    await page.get_by_label("Begutachtende Person (Benutzerkennung)").fill("rolf.reviewer")
    await page.get_by_role("button", name="Begutachtung zuweisen").click()
    await expect(page.locator("#reviewer-error")).to_contain_text("darf nicht")
    await expect(page.locator(".field--error")).to_contain_text("Vorstandsmitglied des Trägers")
    await check_page(page, "reviewer-conflict")
    await page.get_by_label("Begutachtende Person (Benutzerkennung)").fill("rita.reviewer")
    await page.get_by_role("button", name="Begutachtung zuweisen").click()
    await expect(page.get_by_text("Die Begutachtung ist zugewiesen.")).to_be_visible()
    await sign_out(page)

    # the reviewer scores it
    await sign_in(page, "rita.reviewer", "reviewer", name="Rita Review")
    await page.get_by_role("link", name="Meine Begutachtungen").click()
    await page.get_by_role("link", name="WIR-Fallmanagement im Browser").click()
    for field in await page.locator("input[name^=score-]").all():
        await field.fill(await field.get_attribute("max") or "1")
    await page.locator("#comment").fill("Bedarf gut belegt")
    await page.get_by_label("Empfehlung").select_option("approve")
    await check_page(page, "review-form")
    await page.get_by_role("button", name="Begutachtung speichern").click()
    await expect(page.get_by_text("Ihre Begutachtung ist gespeichert.")).to_be_visible()
    await sign_out(page)

    # the approver approves
    await sign_in(page, "jonas.approver", "approver", name="Jonas Bewilligung")
    await page.get_by_role("link", name="Entscheidungen").click()
    await page.get_by_role("link", name="WIR-Fallmanagement im Browser").click()
    await page.locator("#decision").select_option("approve")
    await page.get_by_label("Bewilligter Betrag in Euro").fill("100.000,00")
    await page.get_by_role("button", name="Entscheidung speichern").click()
    await expect(page.get_by_text("Die Entscheidung ist gespeichert.")).to_be_visible()
    await _reload_until(page, "Bewilligt")
    await sign_out(page)

    # the applicant downloads the Bescheid, waives the objection, requests a payment
    await sign_in(page, "verein", "applicant", name="Vera Verein", organisation=organisation)
    await page.goto(application_url)
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="Bescheid herunterladen").click()
    download = await download_info.value
    assert download.suggested_filename.startswith("bescheid-")
    letter = Path(await download.path()).read_bytes()
    assert b"WIR-Fallmanagement im Browser" in letter or letter.startswith(b"%PDF")
    await check_page(page, "application-approved")
    await page.get_by_role("button", name="Auf Widerspruch verzichten").click()
    await expect(page.get_by_text("Der Bescheid ist bestandskräftig.", exact=False)).to_be_visible()
    await _reload_until(page, "Förderzeitraum läuft")
    await page.get_by_label("Betrag in Euro", exact=True).fill("50.000,00")
    await page.get_by_role("button", name="Mittel abrufen").click()
    await expect(page.get_by_text("Der Mittelabruf ist gestellt.")).to_be_visible()
    await expect(page.get_by_role("cell", name="50.000,00 €")).to_be_visible()
    await check_page(page, "payment-requested")
    await sign_out(page)

    # the officer sees the budget committed and releases the payment
    await sign_in(page, "petra.officer", "programme_officer", name="Petra Programm")
    await page.get_by_role("link", name="Träger", exact=True).click()
    await page.get_by_role("link", name=organisation).click()
    await expect(page.get_by_role("link", name="WIR-Fallmanagement im Browser")).to_be_visible()
    await check_page(page, "organisations")
    await page.get_by_role("link", name="Förderrunden").click()
    await expect(page.get_by_text("100.000,00 €").first).to_be_visible()
    await check_page(page, "rounds")
    await page.get_by_role("link", name=f"Statistik und CSV-Export von {round_id}").click()
    await expect(page.locator("tfoot")).to_contain_text("100.000,00 €")
    await check_page(page, "statistics")
    async with page.expect_download() as csv_info:
        await page.get_by_role("link", name="Anträge als CSV exportieren").click()
    exported = Path(await (await csv_info.value).path()).read_text(encoding="utf-8-sig")
    assert "WIR-Fallmanagement im Browser" in exported
    await page.goto(application_url)
    await page.get_by_role("button", name="Auszahlung freigeben").click()
    await expect(page.get_by_text("Die Auszahlung ist freigegeben.")).to_be_visible()
