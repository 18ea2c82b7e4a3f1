"""The programme office's pages that were reachable only through the API: the work queue's
search, organisations (search, a new one with its address, the same name again said as
"exists already" and created as a different body only when ticked, the address), a new
round opened and closed, the overdue reports; in German and in English."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
from playwright.async_api import Page, expect

from tests import grant_flows as flow
from tests.browser.pages import check_page, sign_in


async def _organisations(page: Page, name: str) -> None:
    await page.goto("/office/organisations")
    await page.get_by_role("link", name="Neuer Träger").click()
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Art des Trägers").select_option("independent_org")
    await page.get_by_label("Straße und Hausnummer").fill("Marktplatz 1")
    await page.get_by_label("Postleitzahl").fill("35390")
    await page.get_by_label("Ort").fill("Gießen")
    await check_page(page, "organisation-new")
    await page.get_by_role("button", name="Träger anlegen").click()
    await expect(page.get_by_text("Der Träger ist angelegt.")).to_be_visible()
    await expect(page.get_by_role("heading", name=name)).to_be_visible()
    first = page.url

    # the same name and kind again: said so at the name, with a link to the one there
    await page.goto("/office/organisations/new")
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Art des Trägers").select_option("independent_org")
    await page.get_by_role("button", name="Träger anlegen").click()
    await expect(page.locator(".error-summary")).to_contain_text("besteht bereits")
    await expect(page.get_by_label("Name", exact=True)).to_have_value(name)
    await expect(page.get_by_role("link", name=name)).to_have_attribute(
        "href", "/office" + first.split("/office", 1)[1]
    )
    await check_page(page, "organisation-exists")
    await page.get_by_label("Es ist ein anderer Träger gleichen Namens").check()
    await page.get_by_role("button", name="Träger anlegen").click()
    await expect(page.get_by_text("Der Träger ist angelegt.")).to_be_visible()
    assert page.url != first

    # the address: a postal code of four digits refused at its field, the input kept
    await page.get_by_label("Postleitzahl").fill("3539")
    await page.get_by_label("Ort").fill("Gießen")
    await page.get_by_label("Straße und Hausnummer").fill("Ludwigstraße 2")
    await page.get_by_role("button", name="Anschrift speichern").click()
    await expect(page.locator("#postal_code-error")).to_be_visible()
    await expect(page.get_by_label("Straße und Hausnummer")).to_have_value("Ludwigstraße 2")
    await page.get_by_label("Postleitzahl").fill("35390")
    await page.get_by_role("button", name="Anschrift speichern").click()
    await expect(page.get_by_text("Die Anschrift ist gespeichert.")).to_be_visible()
    await expect(page.get_by_label("Postleitzahl")).to_have_value("35390")

    # the search by name finds both
    await page.goto("/office/organisations")
    await page.get_by_label("Name des Trägers").fill(name.split()[-1])
    await page.get_by_role("button", name="Suchen").click()
    await expect(page.get_by_role("link", name=name)).to_have_count(2)


async def _round(page: Page, round_id: str) -> None:
    today = date.today()
    await page.goto("/office/rounds")
    await page.get_by_role("link", name="Neue Förderrunde").click()
    await page.get_by_label("Kennung der Runde").fill(round_id)
    await page.get_by_label("Titel der Runde").fill("Förderaufruf im Browser")
    await page.get_by_label("Einreichung ab").fill(today.isoformat())
    # closing before it opens: the API's refusal at that field, the rest kept
    await page.get_by_label("Einreichung bis").fill((today - timedelta(days=3)).isoformat())
    await page.get_by_label("Frühester Beginn").fill(today.isoformat())
    await page.get_by_label("Spätestes Ende").fill((today + timedelta(days=900)).isoformat())
    await page.locator("#budgets-coordination").fill("250.000,00")
    await page.get_by_role("button", name="Runde anlegen").click()
    await expect(page.locator("#submission_closes_at-error")).to_contain_text(
        "Die Einreichungsfrist muss nach ihrem Beginn enden."
    )
    await expect(page.locator("#budgets-coordination")).to_have_value("250.000,00")
    await check_page(page, "round-new")
    await page.get_by_label("Einreichung bis").fill((today + timedelta(days=30)).isoformat())
    await page.get_by_role("button", name="Runde anlegen").click()
    await expect(page.get_by_text("Die Runde ist angelegt.", exact=False)).to_be_visible()
    await page.get_by_role("button", name=f"Runde {round_id} öffnen").click()
    await expect(page.get_by_text("Die Runde ist geöffnet.")).to_be_visible()
    await check_page(page)
    await page.get_by_role("button", name=f"Runde {round_id} schließen").click()
    await expect(page.get_by_text("Die Runde ist geschlossen.")).to_be_visible()


async def test_office_admin_pages(page: Page, office: httpx.AsyncClient) -> None:
    tag = uuid.uuid4().hex[:6]
    round_id = await flow.open_round(office)
    organisation = await flow.organisation(
        office, name=f"Vogelsberger Verein {tag}", applicant_type="independent_org"
    )
    await flow.draft(office, organisation, round_id, title=f"Sprachcafé {tag}")

    await sign_in(page, "petra.officer", "programme_officer")
    # the work queue's search: part of the title
    await page.goto("/office/applications")
    await page.get_by_label("Suchen", exact=True).fill(f"café {tag}")
    await page.get_by_role("button", name="Anzeigen").click()
    await expect(page.locator(".result-count")).to_have_text("1 Anträge")
    await expect(page.get_by_role("link", name=f"Sprachcafé {tag}")).to_be_visible()
    await check_page(page, "work-queue-search")

    await _organisations(page, f"Nachbarschaftshilfe Gießen {tag}")
    await _round(page, f"b{tag}")

    await page.get_by_role("link", name="Überfällige Nachweise").click()
    await expect(page.get_by_role("heading", name="Überfällige Nachweise")).to_be_visible()
    await check_page(page, "overdue")

    # in English
    await page.get_by_role("button", name="English").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    for path in ("/office/overdue", "/office/organisations/new", "/office/rounds/new"):
        await page.goto(path)
        await check_page(page)
    await expect(page.get_by_role("heading", name="New round")).to_be_visible()
    await page.goto(f"/office/organisations?q={tag}")
    await expect(page.get_by_role("link", name=f"Vogelsberger Verein {tag}")).to_be_visible()
    await check_page(page)
