"""The case manager's and provider's other commands in a real browser: the plan, sharing
(the API's 422 shown at the field, what was typed kept), what a colleague it is shared with
sees, the hand-over, closing with a reason and reopening; the provider declines with a
reason and records an outcome with JavaScript switched off (plain forms, POST-redirect-GET).
Each page is checked for texts of the other language, and with axe-core where JavaScript
runs (axe runs as the page's script)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from playwright.async_api import Page, expect

from shared.auth import Role
from tests import auth
from tests.browser.pages import check_page, sign_in, sign_out
from tests.browser.test_case_journey import sign_in_provider


async def _offer(cases_url: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=cases_url, timeout=30) as public:
        found: dict[str, Any] = (await public.get("/offers", params={"limit": 1})).json()
    return dict(found["items"][0])


async def _referred_case(cases_url: str, user: str, offer: dict[str, Any]) -> dict[str, Any]:
    """A case of ``user`` (over the API), assessed and referred to ``offer``."""
    headers = auth.headers(user, Role.case_manager)
    async with httpx.AsyncClient(base_url=cases_url, headers=headers, timeout=30) as cases:
        opened = await cases.post(
            "/cases",
            headers={"Idempotency-Key": str(uuid.uuid4())},
            json={
                "person": {"given_name": "Yusuf", "family_name": "Demir", "languages": ["ar"]},
                "consent": {"given": True, "purposes": ["case_management"]},
            },
        )
        case_id = opened.json()["id"]
        await cases.post(f"/cases/{case_id}/assessment", json={"needs": ["language"]})
        answer = await cases.post(f"/cases/{case_id}/referrals", json={"offer_id": offer["id"]})
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


async def test_plan_share_transfer_close_reopen(page: Page, cases_url: str) -> None:
    case = await _referred_case(cases_url, "clara.cm", await _offer(cases_url))
    case_url = f"/cases/{case['id']}"
    await sign_in(page, "clara.cm", "case_manager", name="Clara Fallmanagement")
    await page.goto(case_url)

    # the plan: two goals
    await page.get_by_text("Förderplan überarbeiten").click()
    await page.locator("#goals-0-area").select_option("language")
    await page.locator("#goals-0-goal").fill("B1-Prüfung")
    await page.locator("#goals-0-target_date").fill("2027-06-30")
    await page.locator("#goals-1-area").select_option("employment")
    await page.locator("#goals-1-goal").fill("Praktikum im Handwerk")
    await page.get_by_role("button", name="Förderplan speichern").click()
    await expect(page.get_by_text("Der Förderplan ist gespeichert.")).to_be_visible()
    await expect(page.get_by_role("cell", name="Praktikum im Handwerk")).to_be_visible()

    # the provider's answer given by phone: a decline needs its reason
    referral = case["referrals"][0]["id"]
    await page.get_by_role("button", name="Ablehnung erfassen").click()
    await expect(
        page.locator(f".error-summary a[href='#decline_reason-{referral}']")
    ).to_be_visible()
    await page.locator(f"#decline_reason-{referral}").select_option("no_contact")
    await page.get_by_role("button", name="Ablehnung erfassen").click()
    await expect(page.get_by_text("Die Zuweisung ist abgelehnt.")).to_be_visible()
    referrals = page.locator("section[aria-labelledby=referrals] table")
    await expect(referrals).to_contain_text("Kein Kontakt zur Person")

    # a user id the API refuses: its 422 at the field, what was typed kept
    await page.get_by_label("Kollegin oder Kollege (Benutzerkennung)").fill("dora cm")
    await page.get_by_role("button", name="Fall teilen").click()
    await expect(page.locator(".error-summary a[href='#share_to']")).to_be_visible()
    await expect(page.locator("#share_to")).to_have_value("dora cm")
    await expect(page.locator("#share_to")).to_have_attribute("aria-invalid", "true")
    await check_page(page)
    await page.get_by_label("Kollegin oder Kollege (Benutzerkennung)").fill("dora.cm")
    await page.get_by_role("button", name="Fall teilen").click()
    await expect(page.get_by_text("Der Fall ist geteilt.")).to_be_visible()
    await expect(page.get_by_text("Geteilt mit: dora.cm")).to_be_visible()
    await page.get_by_label("Kollegin oder Kollege (Benutzerkennung)").fill("hans.cm")
    await page.get_by_role("button", name="Fall teilen").click()
    await page.get_by_role("button", name="Teilen mit hans.cm beenden").click()
    await expect(
        page.get_by_text("Der Fall ist nicht mehr mit dieser Person geteilt.")
    ).to_be_visible()
    await expect(page.get_by_text("Geteilt mit: dora.cm")).to_be_visible()
    await sign_out(page)

    # the colleague finds it in her list (no name there: she does not hold it) and opens it
    await sign_in(page, "dora.cm", "case_manager", name="Dora Fallmanagement")
    await page.get_by_role("link", name=case["file_number"]).click()
    await expect(page.get_by_text("(mit Ihnen geteilt)")).to_be_visible()
    await expect(page.get_by_role("button", name="Fall übergeben")).to_have_count(0)
    await check_page(page, "case-shared")
    await sign_out(page)

    # the holder closes it with a reason, reopens it, and hands it over
    await sign_in(page, "clara.cm", "case_manager", name="Clara Fallmanagement")
    await page.goto(case_url)
    await page.get_by_role("button", name="Fall abschließen").click()
    await expect(page.locator(".error-summary")).to_contain_text("Wählen Sie den Grund")
    await page.get_by_label("Begründung").select_option("moved_away")
    await page.get_by_role("button", name="Fall abschließen").click()
    await expect(page.get_by_text("Der Fall ist abgeschlossen.")).to_be_visible()
    await expect(page.locator(".stage-line")).to_contain_text("Abgeschlossen")
    await expect(page.get_by_text("Grund: Verzogen")).to_be_visible()
    await check_page(page, "case-closed")
    await page.get_by_role("button", name="Fall wieder eröffnen").click()
    await expect(page.get_by_text("Der Fall ist wieder eröffnet.")).to_be_visible()
    await expect(page.locator(".stage-line")).to_contain_text("In Bearbeitung")
    await page.get_by_label("Neues Fallmanagement (Benutzerkennung)").fill("emil.cm")
    await page.get_by_role("button", name="Fall übergeben").click()
    await expect(page.get_by_text("Der Fall ist übergeben.")).to_be_visible()
    assert page.url.endswith("/cases")
    response = await page.goto(case_url)
    assert response is not None and response.status == 404


async def test_provider_declines_and_records_an_outcome_without_javascript(
    no_script_page: Page, cases_url: str
) -> None:
    page = no_script_page
    offer = await _offer(cases_url)
    first, second = [
        (await _referred_case(cases_url, "fritz.cm", offer))["referrals"][0]["id"] for _ in "ab"
    ]
    await sign_in_provider(page, "desk-nojs", offer["provider_id"])

    # declining needs a reason: said at the field, nothing sent
    row = page.locator(f"#referral-{first}")
    await row.get_by_role("button", name="Ablehnen").click()
    await expect(page.locator(".error-summary")).to_contain_text(
        "Wählen Sie den Grund der Ablehnung."
    )
    await page.locator(f"#referral-{first} select").select_option("no_capacity")
    await page.locator(f"#referral-{first}").get_by_role("button", name="Ablehnen").click()
    await expect(page.get_by_text("Die Zuweisung ist abgelehnt.")).to_be_visible()
    await expect(page.locator(f"#referral-{first}")).to_contain_text("Keine Kapazität")

    # the other is accepted, then its outcome recorded
    await page.locator(f"#referral-{second}").get_by_role("button", name="Annehmen").click()
    await expect(page.get_by_text("Die Zuweisung ist angenommen.")).to_be_visible()
    await page.locator(f"#referral-{second} select").select_option("successful")
    await (
        page.locator(f"#referral-{second}").get_by_role("button", name="Ergebnis speichern").click()
    )
    await expect(page.get_by_text("Das Ergebnis ist gespeichert.")).to_be_visible()
    await expect(page.locator(f"#referral-{second}")).to_contain_text("Erfolgreich")
    await check_page(page, axe=False)


async def test_volunteer_interpreter_and_employment_track(page: Page, cases_url: str) -> None:
    case = await _referred_case(cases_url, "gina.cm", await _offer(cases_url))
    await sign_in(page, "gina.cm", "case_manager", name="Gina Fallmanagement")

    # a lay interpreter joins the pool; without a language the API refuses it at the field
    await page.get_by_role("link", name="Ehrenamtlichen-Pools").click()
    await page.get_by_label("Name", exact=True).fill("Karim B.")
    await page.locator("#role").select_option("lay_interpreter")
    await page.locator("#place").fill("Ohmstadt")
    await page.get_by_role("button", name="Ehrenamtliche Person aufnehmen").click()
    await expect(page.locator(".error-summary a[href='#volunteer_languages']")).to_be_visible()
    await expect(page.get_by_label("Name", exact=True)).to_have_value("Karim B.")
    await check_page(page)
    await page.locator("#volunteer_languages").fill("ar, de")
    await page.get_by_role("button", name="Ehrenamtliche Person aufnehmen").click()
    await expect(
        page.get_by_text("Die ehrenamtliche Person ist in den Pool aufgenommen.")
    ).to_be_visible()
    await check_page(page, "volunteers")

    # matched to the case by a shared language, then booked for an appointment
    await page.goto(f"/cases/{case['id']}")
    await page.locator("#match").select_option("lay_interpreter")
    await page.get_by_role("button", name="Finden").click()
    await page.locator("#volunteer_id").select_option(label="Karim B., Ohmstadt (ar)")
    await page.get_by_role("button", name="Dem Fall zuordnen").click()
    await expect(
        page.get_by_text("Die ehrenamtliche Person ist dem Fall zugeordnet.")
    ).to_be_visible()
    await expect(page.get_by_role("cell", name="Karim B.")).to_be_visible()
    await page.locator("#interpreter_id").select_option(label="Karim B.")
    # today in Berlin: an outcome is taken from the appointment's day on, not before
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    await page.get_by_label("Termin (Berliner Zeit)").fill(f"{today.isoformat()}T09:30")
    await page.locator("#booking_place").fill("Ausländerbehörde Ohmstadt")
    await page.locator("#booking_language").fill("ar")
    await page.get_by_role("button", name="Sprachmittlung buchen").click()
    await expect(page.get_by_text("Die Sprachmittlung ist gebucht.")).to_be_visible()
    shown = f"{today:%d.%m.%Y}, 09:30:00"
    await expect(page.get_by_role("cell", name=shown, exact=True)).to_be_visible()
    await page.get_by_role("button", name="Fand statt").click()
    await expect(page.get_by_text("Das Ergebnis des Termins ist gespeichert.")).to_be_visible()
    await expect(page.get_by_role("cell", name="Fand statt", exact=True)).to_be_visible()

    # a step on the employment track
    await page.locator("#step_kind").select_option("application")
    await page.locator("#employer").fill("Schreinerei Beispiel GmbH")
    await page.locator("#step_status").select_option("sent")
    await page.get_by_role("button", name="Schritt hinzufügen").click()
    await expect(page.get_by_text("Der Schritt ist dem Weg in Arbeit hinzugefügt.")).to_be_visible()
    await expect(page.get_by_role("cell", name="Bewerbung versandt")).to_be_visible()
    await check_page(page, "case-support")
