"""Journey 2 in a real browser: a case manager takes in a person with consent (the same
person again is flagged as a possible duplicate), assesses and refers; the provider accepts
on its desk; the case manager sees the answer and records a placement. Journey 6 (case
side): another case manager gets 404 for that case's URL. Every page is checked with
axe-core and for untranslated texts; nothing typed as a name reaches a URL."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests.browser.pages import check_page, sign_in, sign_out

PERSON = {"given": "Amina", "family": "Haddadi", "born": "1994-05-17"}


async def intake(page: Page, given: str, family: str) -> None:
    await page.get_by_role("link", name="Meine Fälle").click()
    await page.get_by_role("link", name="Neue Aufnahme").click()
    await page.get_by_label("Ja, die Einwilligung ist erteilt").check()
    await page.get_by_label("Fallmanagement", exact=True).check()
    await page.get_by_label("Zuweisung an Angebote").check()
    await page.get_by_label("Vorname").fill(given)
    await page.get_by_label("Familienname").fill(family)
    await page.get_by_label("Geburtsdatum").fill(PERSON["born"])
    await page.locator("#person-languages").fill("ar, fr")
    await page.get_by_role("button", name="Aufnahme speichern").click()
    await expect(page.get_by_text("Der Fall ist eröffnet.")).to_be_visible()


async def sign_in_provider(page: Page, user: str, provider_id: str) -> None:
    await page.goto("/sign-in")
    await page.get_by_label("Benutzerkennung").fill(user)
    await page.get_by_label("Anzeigename").fill(user)
    await page.locator("#role-provider").check()
    await page.locator("#provider_id").fill(provider_id)
    await page.get_by_role("button", name="Anmelden", exact=True).click()
    await expect(page.get_by_text("Sie sind angemeldet.")).to_be_visible()


async def test_intake_to_placement(page: Page, cases_url: str) -> None:
    async with httpx.AsyncClient(base_url=cases_url) as public:
        offer = (await public.get("/offers", params={"limit": 1})).json()["items"][0]

    # intake with consent: the case file names the person, for its holder
    await sign_in(page, "anna.cm", "case_manager", name="Anna Fallmanagement")
    await page.get_by_role("link", name="Neue Aufnahme").click()
    await check_page(page, "case-intake")
    await intake(page, PERSON["given"], PERSON["family"])
    case_url = page.url
    await expect(page.get_by_role("heading", name="Amina Haddadi")).to_be_visible()
    await check_page(page, "case-file")

    # a form sent without what it needs keeps what was typed and says what is missing
    await page.get_by_role("link", name="Meine Fälle").click()
    await page.get_by_role("link", name="Neue Aufnahme").click()
    await page.get_by_label("Vorname").fill("Ohne")
    await page.get_by_role("button", name="Aufnahme speichern").click()
    summary = page.locator(".error-summary")
    await expect(summary).to_contain_text("Geben Sie an, ob die Person einwilligt.")
    await expect(page.get_by_label("Vorname")).to_have_value("Ohne")
    await check_page(page)

    # the same person again, other spelling: opened, and flagged as a possible duplicate
    await intake(page, "AMÍNA", "haddadi")
    await expect(page.get_by_text("Möglicher Doppelfall")).to_be_visible()
    case_id = case_url.rsplit("/", 1)[1]
    await expect(page.locator(f'.alert a[href="/cases/{case_id}"]')).to_be_visible()

    # assessment, then a referral; the same referral again is refused with the API's words
    await page.goto(case_url)
    await page.locator("#needs-language").check()
    await page.locator("#needs-employment").check()
    await page.get_by_label("Schulabschluss").fill("Abitur (Syrien)")
    await page.get_by_role("button", name="Bedarfserhebung speichern").click()
    await expect(page.get_by_text("Die Bedarfserhebung ist gespeichert.")).to_be_visible()
    await expect(page.locator(".stage-line")).to_contain_text("In Bearbeitung")
    await page.locator("#offer_id").select_option(offer["id"])
    await page.get_by_role("button", name="Zuweisung senden").click()
    await expect(page.get_by_text("Die Zuweisung ist an den Träger gesendet.")).to_be_visible()
    await page.locator("#offer_id").select_option(offer["id"])
    await page.get_by_role("button", name="Zuweisung senden").click()
    await expect(page.locator(".error-summary")).to_contain_text("still open")
    await expect(page.locator("#offer_id")).to_have_value(offer["id"])
    await check_page(page)

    # the name search is a POST: the name never reaches a URL
    await page.get_by_role("link", name="Meine Fälle").click()
    await page.get_by_label("Name oder Aktenzeichen").fill("haddadi")
    await page.get_by_role("button", name="Suchen").click()
    await expect(page.get_by_role("cell", name="Amina Haddadi")).to_be_visible()
    assert "haddadi" not in page.url.lower()
    await check_page(page, "case-search")
    await sign_out(page)

    # journey 6: another case manager gets 404 for the case's URL, and no name
    await sign_in(page, "ben.cm", "case_manager", name="Ben Fallmanagement")
    response = await page.goto(case_url)
    assert response is not None and response.status == 404
    await expect(page.get_by_role("heading", name="Seite nicht gefunden")).to_be_visible()
    await expect(page.get_by_text("Haddadi")).to_have_count(0)
    await check_page(page)
    await sign_out(page)

    # the provider accepts on its desk: no name, no case file
    await sign_in_provider(page, "desk", offer["provider_id"])
    await expect(page.get_by_role("heading", name="Zuweisungen an unsere Angebote")).to_be_visible()
    await expect(page.get_by_text("Haddadi")).to_have_count(0)
    await check_page(page, "provider-desk")
    await page.get_by_role("button", name="Annehmen").first.click()
    await expect(page.get_by_text("Die Zuweisung ist angenommen.")).to_be_visible()
    await check_page(page)
    await sign_out(page)

    # the case manager sees the answer and records a placement
    await sign_in(page, "anna.cm", "case_manager", name="Anna Fallmanagement")
    await page.goto(case_url)
    referrals = page.locator("section[aria-labelledby=referrals] table")
    await expect(referrals).to_contain_text("Angenommen")
    await page.get_by_label("Art der Vermittlung").select_option("internship")
    await page.get_by_label("Arbeitgeber oder Träger").fill("Schreinerei Beispiel GmbH")
    await page.get_by_label("Beginn", exact=True).fill("2027-02-01")
    await page.get_by_role("button", name="Vermittlung speichern").click()
    await expect(page.get_by_text("Die Vermittlung ist gespeichert")).to_be_visible()
    await expect(page.locator(".stage-line")).to_contain_text("Vermittelt")
    await check_page(page, "case-placed")
    await page.get_by_role("link", name="Meine Aufgaben").click()
    await check_page(page, "case-tasks")
    await page.get_by_role("link", name="Statistik").click()
    await expect(page.get_by_role("heading", name="Statistik des Fallmanagements")).to_be_visible()
    await check_page(page, "case-statistics")

    # the same pages in English, with no German text left
    await page.get_by_role("button", name="English").click()
    await expect(
        page.get_by_role("heading", name="Statistics of the case management")
    ).to_be_visible()
    await check_page(page)
    await page.goto(case_url)
    await expect(page.get_by_role("heading", name="Referrals", exact=True)).to_be_visible()
    await check_page(page)
    await page.get_by_role("link", name="My cases", exact=True).click()
    await check_page(page)
