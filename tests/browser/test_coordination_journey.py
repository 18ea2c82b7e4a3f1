"""The coordination office's pages: an actor with a contact person (a wrong e-mail refused at
its field, the name kept; changed; erased after the confirmation page), its own facts
changed (an empty place refused at its field) and a measure; a working group with members,
a meeting (invitation, minutes, attendance), an action item of the contact person marked
done, its history, a meeting cycle (a first date outside the chosen week refused at the
date, every four weeks said in words, ended after a confirmation page); a specialist day
from planning to documentation (the waiting list moving up when a place is cancelled, the
contact person by name, its history); the year report; after the erasure the contact shows
as erased on the group's and the day's page. A case manager registers a case's refugee by
case id from the case file (the office sees "a refugee (case file)", no name, no link) and
reads the network; the office calls a second day with that registration off (a too-short
reason refused at its field, kept), the day then offers no command and the case file shows
the registration as called off, with the reason; neither a case manager nor an applicant
reaches the office's pages."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import httpx
from playwright.async_api import Page, expect

from services.web.i18n import ZONE
from shared.auth import Role
from tests import auth
from tests.browser.pages import check_page, sign_in, sign_out
from tests.coordination_clients import plan_open_fachtag

PERSON = {"given_name": "Samira", "family_name": "Haddad", "birth_date": "1990-02-01"}
CONSENT = {"given": True, "purposes": ["case_management"]}


async def _network(page: Page, name: str) -> str:
    await page.goto("/coordination/actors")
    await check_page(page)
    await page.get_by_role("link", name="Neuer Akteur").click()
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Art des Akteurs").select_option("church")
    await page.get_by_label("Ort", exact=True).fill("Lauterbach")
    await page.get_by_label("Sprachen").fill("ar, tr")
    await page.get_by_label("Themen").fill("Elternarbeit, Sprache")
    await check_page(page)
    await page.get_by_role("button", name="Akteur hinzufügen").click()
    await expect(page.get_by_text("Der Akteur ist angelegt.")).to_be_visible()
    actor_url = page.url

    # a contact person: a wrong e-mail address refused at its field, the name kept
    await page.get_by_label("Name", exact=True).fill("Elif Yilmaz")
    await page.get_by_label("E-Mail").fill("elif-at-example")
    await page.get_by_role("button", name="Ansprechperson anlegen").click()
    await expect(page.locator("#email-error")).to_be_visible()
    await expect(page.get_by_label("Name", exact=True)).to_have_value("Elif Yilmaz")
    await page.get_by_label("E-Mail").fill("elif@example.org")
    await page.get_by_label("Funktion").fill("Integrationsbeauftragte")
    await page.get_by_role("button", name="Ansprechperson anlegen").click()
    await expect(page.get_by_text("Die Ansprechperson ist angelegt.")).to_be_visible()
    await page.get_by_role("link", name="Ändern Elif Yilmaz").click()
    await page.get_by_label("Telefon").fill("06641 977 123")
    await check_page(page)
    await page.get_by_role("button", name="Ansprechperson speichern").click()
    await expect(page.get_by_role("cell", name="06641 977 123")).to_be_visible()

    # the actor's own facts: an empty place refused by the API at its field, then saved
    await page.get_by_role("link", name="Angaben zum Akteur ändern").click()
    await expect(page.get_by_label("Sprachen")).to_have_value("ar, tr")
    await page.get_by_label("Ort", exact=True).fill("")
    await page.get_by_label("Themen").fill("Elternarbeit, Sprache, Sport")
    await page.get_by_role("button", name="Akteur speichern").click()
    await expect(page.locator("#place-error")).to_be_visible()
    await expect(page.get_by_label("Themen")).to_have_value("Elternarbeit, Sprache, Sport")
    await check_page(page)
    await page.get_by_label("Ort", exact=True).fill("Lauterbach (Hessen)")
    await page.get_by_role("button", name="Akteur speichern").click()
    await expect(page.get_by_text("Die Angaben zum Akteur sind gespeichert.")).to_be_visible()
    await expect(page.locator(".eyebrow")).to_contain_text("Lauterbach (Hessen)")

    # a measure of intercultural opening, then in progress
    await page.get_by_label("Art der Maßnahme").select_option("staff_training")
    await page.get_by_label("Titel").fill("Schulung Vorstand")
    await page.get_by_label("Ziel").fill("Der Vorstand kennt die Angebote der Migrationsberatung.")
    await page.get_by_role("button", name="Maßnahme erfassen").click()
    await expect(page.get_by_text("Die Maßnahme ist erfasst.")).to_be_visible()
    measure = page.locator("form.card").filter(has_text="Schulung Vorstand")
    await measure.get_by_label("Status").select_option("in_progress")
    await measure.get_by_role("button", name="Maßnahme speichern").click()
    await expect(page.get_by_text("Die Maßnahme ist geändert.")).to_be_visible()
    await check_page(page, "coordination-actor")

    # the network's search by type and language finds it
    await page.goto("/coordination/actors")
    await page.get_by_label("Art des Akteurs").select_option("church")
    await page.get_by_label("Sprache (Kürzel)").fill("tr")
    await page.get_by_role("button", name="Suchen").click()
    await expect(page.get_by_role("link", name=name)).to_be_visible()
    return actor_url


def _first_tuesday_ahead() -> datetime:
    """16:00 on the first Tuesday of a month, at least two weeks ahead."""
    day = datetime.now(ZONE).replace(hour=16, minute=0, second=0, microsecond=0)
    day += timedelta(days=14)
    while day.weekday() != 1 or day.day > 7:
        day += timedelta(days=1)
    return day


async def _meeting_cycle(page: Page) -> None:
    """A monthly cycle whose first date is not in the chosen week: the API's reason at the
    date; every four weeks instead, said in words; ended after the confirmation page."""
    first = _first_tuesday_ahead().strftime("%Y-%m-%dT%H:%M")
    await page.get_by_label("Erste Sitzung (Datum und Uhrzeit)").fill(first)
    await page.get_by_label("Monatlich, am Wochentag der ersten Sitzung").check()
    await page.get_by_label("Woche im Monat").select_option("last")
    await page.get_by_role("button", name="Sitzungsrhythmus speichern").click()
    await expect(page.locator("#first_starts_at-error")).to_contain_text("gewählten Woche")
    await expect(page.get_by_label("Erste Sitzung (Datum und Uhrzeit)")).to_have_value(first)
    await check_page(page)
    await page.get_by_label("Alle paar Wochen").check()
    await page.get_by_label("Alle wie viele Wochen").fill("4")
    await page.get_by_role("button", name="Sitzungsrhythmus speichern").click()
    await expect(page.get_by_text("Der Sitzungsrhythmus ist gespeichert.")).to_be_visible()
    await expect(page.locator(".cycle")).to_contain_text("alle 4 Wochen, dienstags 16:00")
    await expect(page.locator(".timeline")).to_contain_text("Sitzungsrhythmus festgelegt")
    await check_page(page, "coordination-group")
    await page.get_by_role("link", name="Sitzungsrhythmus beenden").click()
    await expect(page.get_by_text("alle 4 Wochen, dienstags 16:00")).to_be_visible()
    await check_page(page)
    await page.get_by_role("button", name="Rhythmus jetzt beenden").click()
    await expect(page.get_by_text("Der Sitzungsrhythmus ist beendet.")).to_be_visible()
    await expect(page.get_by_text("Der Arbeitskreis tagt nicht regelmäßig.")).to_be_visible()


async def _working_group(page: Page, actor_name: str) -> str:
    await page.goto("/coordination/groups")
    await page.get_by_role("link", name="Neuer Arbeitskreis").click()
    await check_page(page)
    await page.get_by_label("Name", exact=True).fill("AG Elternarbeit")
    await page.get_by_role("button", name="Arbeitskreis gründen").click()
    await expect(page.get_by_text("Der Arbeitskreis ist gegründet.")).to_be_visible()
    group_url = page.url
    await page.get_by_label(actor_name, exact=True).check()
    await page.get_by_label("Mitarbeitende (Benutzerkennungen)").fill("clara.coord")
    await page.get_by_role("button", name="Mitglieder speichern").click()
    await expect(page.get_by_text("Die Mitglieder sind gespeichert.")).to_be_visible()
    await page.get_by_label(f"Elif Yilmaz ({actor_name})").check()
    await page.get_by_role("button", name="Mitglieder speichern").click()
    await expect(page.get_by_text("Die Mitglieder sind gespeichert.")).to_be_visible()

    # a meeting without a place or link is refused, the agenda kept
    starts = (datetime.now(ZONE) + timedelta(days=30)).strftime("%Y-%m-%dT10:00")
    await page.get_by_label("Datum und Uhrzeit", exact=True).fill(starts)
    await page.get_by_label("Tagesordnung").fill("Sprachcafé planen")
    await page.get_by_role("button", name="Sitzung ansetzen").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    await expect(page.get_by_label("Tagesordnung")).to_have_value("Sprachcafé planen")
    await page.locator("#place").fill("Gemeindehaus Lauterbach")
    await page.get_by_role("button", name="Sitzung ansetzen").click()
    await expect(page.get_by_text("Die Sitzung ist angesetzt.")).to_be_visible()

    due = (datetime.now(ZONE) + timedelta(days=10)).date().isoformat()
    await page.get_by_label("Aufgabe", exact=True).fill("Flyer übersetzen")
    contact = f"Elif Yilmaz ({actor_name})"
    await page.get_by_label("Verantwortlich").select_option(label=contact)
    await page.get_by_label("Fällig am").fill(due)
    await page.get_by_role("button", name="Aufgabe hinzufügen").click()
    await expect(page.get_by_text("Die Aufgabe ist hinzugefügt.")).to_be_visible()
    # the contact person by name, as member and as the item's owner
    await expect(page.locator("#members + ul")).to_contain_text(f"Ansprechperson: {contact}")
    await expect(page.get_by_role("cell", name=contact)).to_be_visible()
    await page.get_by_role("button", name="Als erledigt markieren Flyer übersetzen").click()
    await expect(page.get_by_text("Die Aufgabe ist erledigt.")).to_be_visible()
    await expect(page.get_by_role("cell", name="Erledigt", exact=False)).to_be_visible()

    await page.locator("section[aria-labelledby=meetings] table a").first.click()
    # its details changed afterwards: neither a place nor a link is refused at the place
    await page.locator("#place").fill("")
    await page.get_by_role("button", name="Angaben speichern").click()
    await expect(page.locator("#place-error")).to_be_visible()
    await expect(page.locator("#agenda")).to_have_value("Sprachcafé planen")
    await page.locator("#place").fill("Bürgerhaus Lauterbach")
    await page.get_by_role("button", name="Angaben speichern").click()
    await expect(page.get_by_text("Die Angaben zur Sitzung sind gespeichert.")).to_be_visible()
    await expect(page.locator("dl.summary").first).to_contain_text("Bürgerhaus Lauterbach")
    await page.get_by_role("button", name="Einladung verschickt").click()
    await expect(page.get_by_text("Die Einladung ist als verschickt vermerkt.")).to_be_visible()
    await page.get_by_label("Protokoll", exact=True).fill("Sprachcafé ab Juni")
    await page.get_by_label(f"Elif Yilmaz ({actor_name})").check()
    await check_page(page)
    await page.get_by_role("button", name="Protokoll erfassen").click()
    await expect(page.get_by_text("Protokoll und Anwesenheit sind erfasst.")).to_be_visible()
    await expect(page.get_by_text("Sprachcafé ab Juni")).to_be_visible()
    await page.goto(group_url)
    await expect(page.get_by_role("cell", name="Durchgeführt")).to_be_visible()
    await expect(page.locator(".timeline")).to_contain_text("Arbeitskreis gegründet")
    await _meeting_cycle(page)
    return group_url


async def _specialist_day(page: Page, actor_name: str) -> str:
    await page.goto("/coordination/days")
    await page.get_by_role("link", name="Neuer Fachtag").click()
    # the day begins in a few seconds, so that its attendance can be recorded in the test
    begins = datetime.now(ZONE).replace(microsecond=0) + timedelta(seconds=25)
    await page.get_by_label("Titel").fill("Bewerben in Deutschland")
    await page.get_by_label("Für wen").fill("Geflüchtete")
    await page.get_by_label("Plätze").fill("1")
    await page.get_by_label("Ebene", exact=True).select_option("state")
    await page.get_by_label("Beginn").fill(begins.strftime("%Y-%m-%dT%H:%M:%S"))
    later = (begins + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    await page.get_by_label("Anmeldeschluss").fill(later)
    await page.get_by_role("button", name="Fachtag planen").click()
    # closing after it begins: the API's rule at that field, the title kept
    await expect(page.locator("#registration_closes_at-error")).to_be_visible()
    await expect(page.get_by_label("Titel")).to_have_value("Bewerben in Deutschland")
    await check_page(page)
    await page.get_by_label("Anmeldeschluss").fill(begins.strftime("%Y-%m-%dT%H:%M:%S"))
    await page.get_by_role("button", name="Fachtag planen").click()
    await expect(page.get_by_text("Der Fachtag ist geplant.")).to_be_visible()
    await expect(page.locator("dl.summary").first).to_contain_text("Landesebene (Hessen)")

    await page.get_by_label(f"{actor_name}, Lauterbach (Hessen)").check()
    await page.get_by_role("button", name="Einladungen verschicken").click()
    await expect(page.get_by_text("Die Einladungen sind verschickt.")).to_be_visible()
    await page.get_by_role("button", name="Anmeldung öffnen").click()
    await expect(page.get_by_text("Die Anmeldung ist offen.")).to_be_visible()
    await page.get_by_label("Mitarbeiterin oder Mitarbeiter (Benutzerkennung)").fill("clara.coord")
    await page.get_by_role("button", name="Mitarbeitende anmelden").click()
    await expect(page.get_by_text("Die Anmeldung ist erfasst.")).to_be_visible()
    await page.get_by_label("Einrichtung", exact=True).select_option(label=actor_name)
    await page.get_by_role("button", name="Ihre Ansprechpersonen zeigen").click()
    await page.get_by_label("Ansprechperson", exact=True).select_option(label="Elif Yilmaz")
    await page.get_by_role("button", name="Ansprechperson anmelden").click()
    await expect(page.get_by_role("cell", name="Auf der Warteliste")).to_be_visible()
    contact = f"Ansprechperson: Elif Yilmaz ({actor_name})"
    await expect(page.get_by_role("cell", name=contact)).to_be_visible()
    await expect(
        page.get_by_role("cell", name="Mitarbeiterin oder Mitarbeiter: clara.coord")
    ).to_be_visible()
    await expect(page.locator(".timeline")).to_contain_text("Auf die Warteliste gesetzt")
    await check_page(page, "coordination-day")
    day_url = page.url
    # the place given back goes to the first on the waiting list
    await page.get_by_role("button", name="Anmeldung stornieren 1").click()
    await expect(page.get_by_text("Die Anmeldung ist storniert.")).to_be_visible()
    await expect(page.get_by_role("cell", name="Hat einen Platz")).to_be_visible()
    await page.get_by_role("button", name="Anmeldung schließen").click()
    await expect(page.get_by_text("Die Anmeldung ist geschlossen.")).to_be_visible()

    wait = (begins - datetime.now(ZONE)).total_seconds() + 1
    await asyncio.sleep(max(0.0, wait))
    await page.locator("input[name=attended]").first.check()
    await page.get_by_role("button", name="Anwesenheit erfassen").click()
    await expect(page.get_by_text("Die Anwesenheit ist erfasst.")).to_be_visible()
    await page.get_by_role("button", name="Als dokumentiert abschließen").click()
    await expect(page.locator("#documentation-error")).to_be_visible()
    await page.get_by_label("Was der Fachtag erreicht hat").fill("Zwölf Bewerbungsmappen")
    await page.get_by_role("button", name="Als dokumentiert abschließen").click()
    await expect(page.get_by_text("Der Fachtag ist dokumentiert.")).to_be_visible()
    await expect(page.locator(".stage-line")).to_contain_text("Dokumentiert")
    await expect(page.locator(".timeline")).to_contain_text("Fachtag dokumentiert")
    await check_page(page)
    return day_url.split("?")[0].split("#")[0]


async def test_coordination_office_journey(page: Page) -> None:
    actor_name = f"Moscheegemeinde {uuid.uuid4().hex[:6]}"
    await sign_in(page, "clara.coord", "coordinator", name="Clara Koordination")
    actor_url = await _network(page, actor_name)
    group_url = await _working_group(page, actor_name)
    day_url = await _specialist_day(page, actor_name)

    await page.goto("/coordination/report")
    await expect(page.get_by_role("link", name="Als CSV herunterladen")).to_be_visible()
    async with page.expect_download() as pdf:
        await page.get_by_role("link", name="Als PDF herunterladen").click()
    assert (await pdf.value).suggested_filename.endswith(".pdf")
    await check_page(page, "coordination-report")

    # erasure on request: a confirmation page first, the contact's data gone after it
    await page.goto(actor_url)
    await page.get_by_role("link", name="Auf Wunsch löschen Elif Yilmaz").click()
    await check_page(page)
    await page.get_by_role("button", name="Daten jetzt löschen").click()
    await expect(page.get_by_text("Die Daten der Ansprechperson sind gelöscht.")).to_be_visible()
    await expect(page.get_by_text("elif@example.org")).to_have_count(0)
    # where she was named, her erasure is said in words
    erased = f"Auf Wunsch gelöscht ({actor_name})"
    await page.goto(group_url)
    await expect(page.locator("#members + ul")).to_contain_text(f"Ansprechperson: {erased}")
    await expect(page.get_by_text("Elif Yilmaz")).to_have_count(0)
    await page.goto(day_url)
    await expect(page.get_by_role("cell", name=f"Ansprechperson: {erased}")).to_be_visible()


REASON = "Die Referentin ist erkrankt; ein neuer Termin folgt."


async def _call_off(page: Page, day_id: str) -> None:
    """The office calls the day off: the reason on a page of its own, too short first."""
    await page.goto(f"/coordination/days/{day_id}")
    await page.get_by_role("link", name="Fachtag absagen").click()
    await page.get_by_label("Grund der Absage").fill("ab")
    await page.get_by_role("button", name="Fachtag jetzt absagen").click()
    await expect(page.locator("#reason-error")).to_contain_text("mindestens 3 Zeichen")
    await expect(page.get_by_label("Grund der Absage")).to_have_value("ab")
    await check_page(page)
    await page.get_by_label("Grund der Absage").fill(REASON)
    await page.get_by_role("button", name="Fachtag jetzt absagen").click()
    await expect(page.get_by_text("Der Fachtag ist abgesagt.")).to_be_visible()
    await expect(page.locator(".stage-line")).to_contain_text("Abgesagt")
    await expect(page.locator(".stages li")).to_have_count(1)
    await expect(page.get_by_text(REASON)).to_be_visible()
    # a day called off takes no command: no button, no link to call it off again
    await expect(page.locator("main button")).to_have_count(0)
    await expect(page.get_by_role("link", name="Fachtag absagen")).to_have_count(0)
    await check_page(page, "coordination-day-cancelled")
    await page.goto("/coordination/days")
    await page.get_by_label("Stand", exact=True).select_option("cancelled")
    await page.get_by_role("button", name="Anzeigen").click()
    await expect(page.locator(f"a[href='/coordination/days/{day_id}']")).to_be_visible()
    await expect(page.locator("tbody tr").first).to_contain_text("Abgesagt")


async def test_case_manager_registers_by_case_id(
    page: Page, cases_url: str, coordination: httpx.AsyncClient
) -> None:
    manager = f"cm.{uuid.uuid4().hex[:10]}"
    headers = auth.headers(manager, Role.case_manager)
    async with httpx.AsyncClient(base_url=cases_url, headers=headers, timeout=30) as cases:
        opened = await cases.post("/cases", json={"person": PERSON, "consent": CONSENT})
        assert opened.status_code == 201, opened.text
    case_id = opened.json()["id"]
    day = await plan_open_fachtag(coordination, starts_in=timedelta(days=20))
    # the newest day of all, so that it heads the list of cancelled days
    second = await plan_open_fachtag(coordination, starts_in=timedelta(days=400))

    await sign_in(page, manager, "case_manager")
    await page.goto(f"/cases/{case_id}")
    await page.get_by_label("Fachtag", exact=True).select_option(day["id"])
    await page.get_by_role("button", name="Mit Fallkennung anmelden").click()
    await expect(page.get_by_text("Die Person ist mit der Fallkennung angemeldet.")).to_be_visible()
    row = page.locator("tr", has=page.locator(f"form[action*='{day['id']}']"))
    await expect(row).to_contain_text("Hat einen Platz")
    await check_page(page)
    await page.get_by_label("Fachtag", exact=True).select_option(second["id"])
    await page.get_by_role("button", name="Mit Fallkennung anmelden").click()
    await expect(page.get_by_text("Die Person ist mit der Fallkennung angemeldet.")).to_be_visible()
    # the coordination service holds the case id alone, never the name
    seen = (await coordination.get(f"/fachtage/{day['id']}")).text
    assert PERSON["family_name"] not in seen and case_id not in seen
    # the office sees a refugee registered, neither named nor linked to the case
    await sign_out(page)
    await sign_in(page, "clara.coord", "coordinator")
    await page.goto(f"/coordination/days/{day['id']}")
    await expect(page.get_by_role("cell", name="Geflüchtete Person (Fallakte)")).to_be_visible()
    await expect(page.locator("main a[href*='/cases']")).to_have_count(0)
    await expect(page.get_by_text(PERSON["family_name"])).to_have_count(0)
    await check_page(page)
    await _call_off(page, second["id"])
    await sign_out(page)
    await sign_in(page, manager, "case_manager")
    await page.goto(f"/cases/{case_id}")
    called_off = page.locator("#specialist-days-called-off + table")
    await expect(called_off).to_contain_text(REASON)
    await expect(called_off).to_contain_text("Anmeldung storniert: Der Fachtag ist abgesagt")
    await expect(page.locator(f"#day_id option[value='{second['id']}']")).to_have_count(0)
    row = page.locator("tr", has=page.locator(f"form[action*='{day['id']}']"))
    await row.get_by_role("button", name="Anmeldung stornieren").click()
    await expect(page.get_by_text("Die Anmeldung ist storniert.")).to_be_visible()

    await page.get_by_role("link", name="Netzwerk der Akteure").click()
    await expect(page.get_by_role("heading", name="Netzwerk der Akteure")).to_be_visible()
    await check_page(page)
    for path in ("/coordination/actors", "/coordination/groups", "/coordination/days/new"):
        answer = await page.goto(path)
        assert answer is not None and answer.status == 403, path
    await sign_out(page)

    await sign_in(page, "anna.applicant", "applicant", organisation="org-coord-test")
    for path in ("/coordination/actors", "/coordination/report", "/network"):
        answer = await page.goto(path)
        assert answer is not None and answer.status == 403, path
