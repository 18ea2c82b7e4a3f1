"""The operator's and admin's pages in a real browser: the way into the Temporal Web UI and
the codec sign-in, a failed webhook delivery in the delivery log sent again, the dead
letters, and the audit log of the cases service filtered by user. Each page is checked with
axe-core and for untranslated texts."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from playwright.async_api import Page, expect

from shared.auth import Role
from shared.settings import WirSettings
from tests import auth
from tests.browser.pages import check_page, sign_in, sign_out
from tests.servers import eventually, free_port


async def _failed_delivery(notifications_url: str, cases_url: str) -> dict[str, Any]:
    """A webhook to a port where nothing listens, and a case opened: its event's delivery
    fails and is given up within a second or two."""
    operator = auth.headers("olaf.operator", Role.operator)
    async with httpx.AsyncClient(base_url=notifications_url, headers=operator) as ops:
        hook = {"url": f"http://127.0.0.1:{free_port()}/hook", "event_types": ["wir.case.opened"]}
        assert (await ops.post("/webhooks", json=hook)).status_code == 201
        anna = auth.headers("anna.cm", Role.case_manager)
        async with httpx.AsyncClient(base_url=cases_url, headers=anna, timeout=30) as cases:
            opened = await cases.post(
                "/cases",
                headers={"Idempotency-Key": str(uuid.uuid4())},
                json={
                    "person": {"given_name": "Olga", "family_name": "Petrenko"},
                    "consent": {"given": True, "purposes": ["case_management"]},
                },
            )
            assert opened.status_code == 201

        async def failed() -> dict[str, Any] | None:
            found = await ops.get("/deliveries", params={"status": "failed", "channel": "webhook"})
            items: list[dict[str, Any]] = found.json()["items"]
            return items[0] if items else None

        return await eventually(failed, timeout=30)


async def test_operator_and_admin_pages(
    operations_page: Page, quick_notifications_url: str, cases_url: str, settings: WirSettings
) -> None:
    page = operations_page
    delivery = await _failed_delivery(quick_notifications_url, cases_url)

    await sign_in(page, "olaf.operator", "operator", name="Olaf Betrieb")
    await expect(page.get_by_role("heading", name="Betrieb")).to_be_visible()
    ui = page.get_by_role("link", name="Temporal Web UI öffnen")
    await expect(ui).to_have_attribute("href", f"http://127.0.0.1:{settings.temporal_ui_port}")
    codec = page.get_by_role("link", name="Am Codec-Server anmelden")
    await expect(codec).to_have_attribute("href", f"http://127.0.0.1:{settings.codec_port}/login")
    await check_page(page, "operations")

    # the failed delivery, filtered, is sent again
    await page.get_by_role("link", name="Zustellprotokoll").first.click()
    await page.get_by_label("Status").select_option("failed")
    await page.get_by_role("button", name="Anzeigen").click()
    assert "status=failed" in page.url
    await expect(page.get_by_text(delivery["last_error"]).first).to_be_visible()
    await check_page(page, "deliveries")
    await page.get_by_role("button", name="Erneut senden").first.click()
    await expect(page.get_by_text("Die Zustellung ist erneut eingeplant.")).to_be_visible()
    await check_page(page)

    await page.get_by_role("link", name="Unzustellbare Nachrichten").first.click()
    await expect(page.get_by_role("heading", name="Unzustellbare Nachrichten")).to_be_visible()
    await check_page(page, "dead-letters")
    await sign_out(page)

    # the admin reads the cases service's audit log by user
    await sign_in(page, "ada.admin", "admin", name="Ada Admin")
    await expect(page.get_by_role("heading", name="Prüfprotokoll")).to_be_visible()
    await page.get_by_label("Benutzer", exact=True).fill("anna.cm")
    await page.get_by_role("button", name="Anzeigen").click()
    await expect(page.get_by_role("cell", name="anna.cm").first).to_be_visible()
    await expect(page.get_by_role("cell", name="ada.admin")).to_have_count(0)
    await check_page(page, "audit-log")
