"""The audit log for administrators and the delivery log for operators, in the browser."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests import grant_flows as flow
from tests.browser.pages import check_page, sign_in, sign_out


async def test_audit_and_delivery_logs(page: Page, office: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(office)
    organisation = await flow.organisation(office, name="Landkreis Darmstadt-Dieburg")
    body = {"organisation_id": organisation, "round_id": round_id, "priority_code": "coordination"}
    created = await office.post("/applications", json={**body, **flow.content()})
    application_id = created.json()["id"]

    await sign_in(page, "ada.admin", "admin", name="Ada Admin")
    await page.get_by_role("link", name="Prüfprotokoll").click()
    await page.get_by_label("Objektkennung").fill(application_id)
    await page.get_by_role("button", name="Anzeigen").click()
    row = page.locator("tbody tr").first
    await expect(row).to_contain_text("petra.officer")
    await expect(row).to_contain_text(application_id)
    await check_page(page, "audit-log")
    await sign_out(page)

    await sign_in(page, "olaf.operator", "operator", name="Olaf Betrieb")
    await page.get_by_role("link", name="Zustellprotokoll").click()
    await expect(page.get_by_role("heading", name="Zustellprotokoll")).to_be_visible()
    await expect(
        page.get_by_role("link", name="Temporal-Weboberfläche", exact=False)
    ).to_be_visible()
    await check_page(page)
