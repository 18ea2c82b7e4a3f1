"""Journey 4: German and English both render every page; the choice is remembered; no text
of the other language (an untranslated message) shows; dates and amounts follow the
reader's locale."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests import grant_flows as flow
from tests.browser.pages import check_page, sign_in


async def test_pages_in_german_and_english(page: Page, office: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(office)
    organisation = await flow.organisation(office, name="Landkreis Fulda")
    body = {"organisation_id": organisation, "round_id": round_id, "priority_code": "coordination"}
    created = await office.post("/applications", json={**body, **flow.content("80000.00")})
    application = f"/applications/{created.json()['id']}"

    await page.goto("/offers")
    await check_page(page, "offers")
    await sign_in(page, "zwei", "applicant", organisation=organisation)
    paths = ["/offers", "/applications", f"/applications/new?round={round_id}", application]
    for path in paths:
        await page.goto(path)
        await expect(page.locator("html")).to_have_attribute("lang", "de")
        await check_page(page)
    await page.goto(application)
    await expect(page.get_by_text("80.000,00 €").first).to_be_visible()

    # switch to English: remembered on every page after
    await page.get_by_role("button", name="English").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_text("€80,000.00").first).to_be_visible()
    for path in paths:
        await page.goto(path)
        await expect(page.locator("html")).to_have_attribute("lang", "en")
        await check_page(page)
    await expect(page.get_by_role("heading", name="What happened")).to_be_visible()

    # and back
    await page.get_by_role("button", name="Deutsch").click()
    await expect(page.locator("html")).to_have_attribute("lang", "de")
    await expect(page.get_by_role("heading", name="Verlauf")).to_be_visible()
