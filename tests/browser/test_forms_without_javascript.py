"""Journey 3: the application form with JavaScript switched off. Rows are added and removed
by the server; a wrong sum shows the error summary and the field's message, keeps what was
typed and creates nothing; corrected, the same form submits."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests import grant_flows as flow
from tests.browser.pages import check_page, sign_in
from tests.browser.test_grant_journey import fill_application


async def _count(office: httpx.AsyncClient, organisation: str) -> int:
    found = await office.get("/applications", params={"organisation_id": organisation})
    return int(found.json()["total"])


async def test_form_without_javascript(no_script_page: Page, office: httpx.AsyncClient) -> None:
    page = no_script_page
    round_id = await flow.open_round(office)
    organisation = await flow.organisation(office, name="Vogelsbergkreis")
    await sign_in(page, "ohne.js", "applicant", organisation=organisation)
    await page.goto(f"/applications/new?round={round_id}")
    await fill_application(page, "Ohne JavaScript")

    # rows come and go through the server; what was typed stays
    await page.get_by_role("button", name="Kostenzeile hinzufügen").click()
    await page.get_by_role("button", name="Kostenzeile hinzufügen").click()
    await expect(page.locator("[data-cost-row]")).to_have_count(3)
    await expect(page.get_by_label("Titel des Vorhabens")).to_have_value("Ohne JavaScript")
    await page.get_by_role("button", name="Entfernen Zeile 3").click()
    await expect(page.locator("[data-cost-row]")).to_have_count(2)
    await page.get_by_label("Kategorie, Zeile 2").select_option("material")
    await page.get_by_label("Beschreibung, Zeile 2").fill("Sachkosten")
    await page.get_by_label("Betrag in Euro, Zeile 2").fill("8.000,00")
    await page.get_by_label("Eigenanteil in Euro").fill("8.000,00")

    # a requested amount that does not add up: refused by the API, shown at its field
    await page.get_by_label("Beantragter Betrag in Euro").fill("99.000,00")
    await page.get_by_role("button", name="Speichern und einreichen").click()
    summary = page.locator(".error-summary")
    await expect(summary).to_be_visible()
    link = summary.locator('a[href="#requested_amount"]')
    await expect(link).to_contain_text("Gesamtkosten abzüglich")
    await expect(page.locator("#requested_amount-error")).to_be_visible()
    await expect(page.locator("#requested_amount")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_label("Beantragter Betrag in Euro")).to_have_value("99.000,00")
    await expect(page.get_by_label("Beschreibung, Zeile 2")).to_have_value("Sachkosten")
    await check_page(page, axe=False)
    assert await _count(office, organisation) == 0

    # an amount that is none: said at the field before the API is asked
    await page.get_by_label("Beantragter Betrag in Euro").fill("hundert")
    await page.get_by_role("button", name="Speichern und einreichen").click()
    await expect(page.locator("#requested_amount-error")).to_contain_text("Betrag")
    assert await _count(office, organisation) == 0

    # corrected, the same form submits (POST, then redirect to the application)
    await page.get_by_label("Beantragter Betrag in Euro").fill("100.000,00")
    await page.get_by_role("button", name="Speichern und einreichen").click()
    await expect(page.get_by_text("Der Antrag ist eingereicht.")).to_be_visible()
    await expect(page.get_by_role("heading", name="Ohne JavaScript")).to_be_visible()
    assert await _count(office, organisation) == 1


async def test_error_summary_with_javascript(page: Page, office: httpx.AsyncClient) -> None:
    """The same refusal with JavaScript on: the summary gets the focus, its link leads to
    the field, and axe-core finds nothing serious on the page."""
    round_id = await flow.open_round(office)
    organisation = await flow.organisation(office, name="Landkreis Kassel")
    await sign_in(page, "mit.js", "applicant", organisation=organisation)
    await page.goto(f"/applications/new?round={round_id}")
    await fill_application(page, "Mit JavaScript")
    await page.get_by_label("Beantragter Betrag in Euro").fill("1,00")
    await expect(page.locator("[data-sums]")).to_have_class("sums sums--wrong")
    await page.get_by_role("button", name="Als Entwurf speichern").click()
    summary = page.locator(".error-summary")
    await expect(summary).to_be_focused()
    await check_page(page, "application-form-errors")
    await summary.locator('a[href="#requested_amount"]').click()
    await expect(page.locator("#requested_amount")).to_be_focused()
    assert await _count(office, organisation) == 0
