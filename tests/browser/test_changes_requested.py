"""The approver's four-eyes refusal in words, a request for changes, and the applicant's
revised application through the same form, filled with the current content."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests import grant_flows as flow
from tests.browser.pages import check_page, sign_in, sign_out
from tests.browser.test_grant_journey import _reload_until


async def test_four_eyes_changes_and_revision(page: Page, office: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(office)
    organisation = await flow.organisation(office, name="Hochtaunuskreis")
    application_id = await flow.draft(office, organisation, round_id)
    await flow.submitted_in_review(office, application_id)
    await flow.reviewed(office, application_id)
    url = f"/applications/{application_id}"

    # the reviewer, also an approver, may not decide what they reviewed
    await sign_in(page, "rita.reviewer", "reviewer", "approver", name="Rita Review")
    await page.goto(url)
    await page.locator("#decision").select_option("approve")
    await page.get_by_label("Bewilligter Betrag in Euro").fill("80.000,00")
    await page.get_by_role("button", name="Entscheidung speichern").click()
    await expect(page.get_by_text("Vier-Augen-Prinzip", exact=True)).to_be_visible()
    await expect(page.locator(".error-summary")).to_contain_text(
        "Sie haben diesen Antrag begutachtet"
    )
    await expect(page.get_by_label("Bewilligter Betrag in Euro")).to_have_value("80.000,00")
    await check_page(page, "four-eyes")
    await sign_out(page)

    # another approver asks for changes, with the reason
    await sign_in(page, "jonas.approver", "approver", name="Jonas Bewilligung")
    await page.goto(url)
    await page.locator("#decision").select_option("request_changes")
    await page.get_by_role("button", name="Entscheidung speichern").click()
    await expect(page.locator("#reason-error")).to_be_visible()  # a reason is needed
    await page.locator("#reason").fill("Bitte den Kostenplan erläutern")
    await page.get_by_role("button", name="Entscheidung speichern").click()
    await expect(page.get_by_text("Die Entscheidung ist gespeichert.")).to_be_visible()
    await sign_out(page)

    # the applicant revises the content in the same form and submits it again
    await sign_in(page, "verein", "applicant", organisation=organisation)
    await page.goto(url)
    await _reload_until(page, "Nachbesserung angefordert")
    await page.get_by_role("link", name="Antrag überarbeiten").click()
    await expect(page.get_by_label("Titel des Vorhabens")).to_have_value("WIR-Koordination")
    await expect(page.get_by_label("Betrag in Euro, Zeile 1")).not_to_have_value("")
    await page.get_by_label("Titel des Vorhabens").fill("WIR-Koordination (überarbeitet)")
    await check_page(page, "revision")
    await page.get_by_role("button", name="Überarbeiteten Antrag einreichen").click()
    await expect(page.get_by_text("Der überarbeitete Antrag ist eingereicht.")).to_be_visible()
    await _reload_until(page, "In Prüfung")
    await expect(
        page.get_by_role("heading", name="WIR-Koordination (überarbeitet)")
    ).to_be_visible()
