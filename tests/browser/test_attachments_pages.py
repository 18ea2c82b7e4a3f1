"""Attachments in the browser: the applicant attaches a PDF to the draft (a text file is
refused by the API, 415, said at the file field with the description kept; a file larger
than the API takes is refused before it is sent), lists and downloads it; the case manager
attaches a scan to the case file and downloads it. German and English."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from playwright.async_api import Page, expect

from shared.auth import Role
from tests import auth
from tests import files as samples
from tests import grant_flows as flow
from tests.browser.pages import check_page, sign_in, sign_out


async def _case(cases_url: str, user: str) -> str:
    headers = auth.headers(user, Role.case_manager)
    async with httpx.AsyncClient(base_url=cases_url, headers=headers, timeout=30) as cases:
        opened = await cases.post(
            "/cases",
            headers={"Idempotency-Key": str(uuid.uuid4())},
            json={
                "person": {"given_name": "Amira", "family_name": "Haddad", "languages": ["ar"]},
                "consent": {"given": True, "purposes": ["case_management"]},
            },
        )
        assert opened.status_code == 201, opened.text
        return str(opened.json()["id"])


async def test_attachments_on_application_and_case(
    page: Page, office: httpx.AsyncClient, cases_url: str, tmp_path: Path
) -> None:
    round_id = await flow.open_round(office)
    organisation = await flow.organisation(
        office, name="Verein Anlagen", applicant_type="independent_org"
    )
    application_id = await flow.draft(office, organisation, round_id)
    pdf = tmp_path / "kostenplan.pdf"
    pdf.write_bytes(samples.pdf("Kostenplan"))
    text = tmp_path / "notiz.txt"
    text.write_text("keine erlaubte Datei")

    await sign_in(page, "verein", "applicant", organisation=organisation)
    await page.goto(f"/applications/{application_id}")
    await expect(page.get_by_text("Noch keine Dateien angehängt.")).to_be_visible()
    # a text file: the API's 415 at the file field, the description kept
    await page.locator("#application-file").set_input_files(str(text))
    await page.locator("#application-description").fill("Notiz")
    await page.get_by_role("button", name="Datei anhängen").click()
    await expect(page.locator("#application-file-error")).to_contain_text(
        "Diese Art von Datei wird nicht angenommen."
    )
    await expect(page.locator("#application-description")).to_have_value("Notiz")
    await check_page(page, "attachment-refused")
    await page.locator("#application-file").set_input_files(str(pdf))
    await page.locator("#application-description").fill("Kostenplan mit Belegen")
    await page.get_by_role("button", name="Datei anhängen").click()
    await expect(page.get_by_text("Die Datei ist angehängt.")).to_be_visible()
    await expect(page.get_by_role("cell", name="Kostenplan mit Belegen")).to_be_visible()
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="kostenplan.pdf").click()
    download = await download_info.value
    assert download.suggested_filename == "kostenplan.pdf"
    assert Path(await download.path()).read_bytes() == pdf.read_bytes()
    await check_page(page, "attachments")

    # in English: the refusal of a file larger than the API takes, before it is sent
    await page.get_by_role("button", name="English").click()
    big = tmp_path / "gross.pdf"
    big.write_bytes(samples.pdf() + b"\0" * (11 * 1024 * 1024))
    await page.locator("#application-file").set_input_files(str(big))
    await page.get_by_role("button", name="Attach file").click()
    await expect(page.locator("#application-file-error")).to_contain_text("The file is too large.")
    await check_page(page)
    await page.get_by_role("button", name="Deutsch").click()
    await sign_out(page)

    # the case file
    case_id = await _case(cases_url, "carla.cm")
    await sign_in(page, "carla.cm", "case_manager")
    await page.goto(f"/cases/{case_id}")
    await page.locator("#case-file").set_input_files(str(pdf))
    await page.locator("#case-description").fill("Einwilligung, unterschrieben")
    await page.get_by_role("button", name="Datei anhängen").click()
    await expect(page.get_by_text("Die Datei ist angehängt.")).to_be_visible()
    async with page.expect_download() as download_info:
        await page.get_by_role("link", name="kostenplan.pdf").click()
    assert (await download_info.value).suggested_filename == "kostenplan.pdf"
    await check_page(page, "case-attachments")
