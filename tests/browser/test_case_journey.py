"""Journey 2 in a real browser: a case manager takes in a person with consent, assesses
the needs and refers to a language course; the provider accepts on its desk (seeing no
name); the case manager sees the answer and records a placement."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests.browser.pages import check_page, sign_in, sign_out


async def test_intake_referral_and_placement(page: Page, cases_url: str) -> None:
    async with httpx.AsyncClient(base_url=cases_url) as public:
        offer = (await public.get("/offers", params={"category": "language_course"})).json()
    course = offer["items"][0]

    await sign_in(page, "anna.cm", "case_manager", name="Anna Fallmanagement")
    await page.get_by_role("link", name="Aufnahme").first.click()
    await page.get_by_label("Vorname").fill("Amina")
    await page.get_by_label("Familienname").fill("Haddadi")
    await page.get_by_label("Geburtsdatum").fill("1994-05-17")
    await page.get_by_label("Arabisch").check()
    await page.locator("#consent").check()
    await page.get_by_label("Fallmanagement", exact=True).check()
    await page.get_by_label("Vermittlung an Angebote").check()
    await check_page(page, "intake")
    await page.get_by_role("button", name="Fall eröffnen").click()
    await expect(page.get_by_text("Der Fall ist eröffnet.")).to_be_visible()
    await expect(page.get_by_role("heading", name="Amina Haddadi")).to_be_visible()
    case_url = page.url
    assert "Amina" not in case_url and "Haddadi" not in case_url

    await page.get_by_label("Sprache", exact=True).check()
    await page.get_by_label("Beschäftigung").check()
    await page.get_by_role("button", name="Bedarfe speichern").click()
    await expect(page.get_by_text("Die Bedarfserhebung ist gespeichert.")).to_be_visible()
    await page.get_by_label("Vermitteln an").select_option(course["id"])
    await page.get_by_role("button", name="Vermittlung senden").click()
    await expect(page.get_by_text("Die Vermittlung ist gesendet.")).to_be_visible()
    await check_page(page, "case-file")
    await page.get_by_role("link", name="Meine Fälle").click()
    await expect(page.get_by_role("heading", name="Meine Aufgaben nach Fälligkeit")).to_be_visible()
    await expect(page.locator("tbody tr")).not_to_have_count(0)
    await check_page(page)
    await sign_out(page)

    # the provider's desk: the referral without the person's name
    await page.goto("/sign-in")
    await page.get_by_label("Benutzerkennung").fill("desk")
    await page.locator("#role-provider").check()
    await page.get_by_label("Kennung des Anbieters").fill(course["provider_id"])
    await page.get_by_role("button", name="Anmelden", exact=True).click()
    await page.get_by_role("link", name="Vermittlungen an unsere Angebote").click()
    row = page.locator("tbody tr", has_text=course["name"]).first
    await expect(row).to_contain_text("Gesendet, noch keine Antwort")
    await expect(page.locator("main")).not_to_contain_text("Haddadi")
    await check_page(page, "provider-desk")
    await row.get_by_role("button", name="Annehmen").click()
    await expect(page.get_by_text("Die Vermittlung ist angenommen.")).to_be_visible()
    await sign_out(page)

    # the case manager sees the answer and records the placement
    await sign_in(page, "anna.cm", "case_manager", name="Anna Fallmanagement")
    await page.goto(case_url)
    await expect(page.get_by_role("cell", name="Angenommen")).to_be_visible()
    await page.get_by_label("Art der Vermittlung").select_option("internship")
    await page.get_by_label("Arbeitgeber oder Träger").fill("Schreinerei Beispiel GmbH")
    await page.get_by_label("Beginn").fill("2027-02-01")
    await page.get_by_role("button", name="Vermittlung speichern").click()
    await expect(page.get_by_text("Die Vermittlung ist gespeichert.")).to_be_visible()
    await expect(page.get_by_text("Schreinerei Beispiel GmbH").first).to_be_visible()
    await check_page(page)

    # journey 6 for cases: another case manager gets 404, and so does the provider
    await sign_out(page)
    await sign_in(page, "ben.cm", "case_manager", name="Ben")
    answer = await page.goto(case_url)
    assert answer is not None and answer.status == 404
    await expect(page.locator("main")).not_to_contain_text("Haddadi")
