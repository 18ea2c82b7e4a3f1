"""The Änderungsantrag in the browser: the applicant asks for an extension (without the new
end first: said at that field, the reason kept), the programme office sees it open on the
application page and approves it; in English the list reads "Approved"."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from playwright.async_api import Page, expect

from tests import grant_flows as flow
from tests.browser.pages import check_page, sign_in, sign_out


async def test_extension_requested_and_approved(page: Page, office: httpx.AsyncClient) -> None:
    round_id = await flow.open_round(office)
    organisation = await flow.organisation(office, name="Lahn-Dill-Kreis")
    application_id = await flow.draft(office, organisation, round_id)
    await flow.submitted_in_review(office, application_id)
    await flow.reviewed(office, application_id)
    approved = await flow.approve(office, application_id, "80000.00")
    assert approved.status_code == 200, approved.text
    funded = await flow.funded(office, application_id)
    end = date.fromisoformat(funded["funding_period_end"])
    url = f"/applications/{application_id}"

    await sign_in(page, "verein", "applicant", organisation=organisation)
    await page.goto(url)
    await page.get_by_label("Art der Änderung").select_option("extension")
    await page.get_by_label("Begründung der Änderung").fill("Stelle erst spät besetzt")
    await page.get_by_role("button", name="Änderung beantragen").click()
    await expect(page.locator("#new_period_end-error")).to_contain_text("neue Ende")
    await expect(page.get_by_label("Begründung der Änderung")).to_have_value(
        "Stelle erst spät besetzt"
    )
    await check_page(page, "change-request-form")
    new_end = end + timedelta(days=30)
    await page.get_by_label("Neues Ende des Förderzeitraums").fill(new_end.isoformat())
    await page.get_by_role("button", name="Änderung beantragen").click()
    await expect(page.get_by_text("Der Änderungsantrag ist gestellt.")).to_be_visible()
    await expect(page.get_by_role("cell", name="Verlängerung des Förderzeitraums")).to_be_visible()
    await sign_out(page)

    await sign_in(page, "petra.officer", "programme_officer")
    await page.goto(url)
    await check_page(page, "change-request-decision")
    await page.get_by_role("button", name="Änderung bewilligen").click()
    await expect(page.get_by_text("Die Änderung ist bewilligt.")).to_be_visible()
    for _ in range(40):
        if await page.get_by_role("cell", name="Bewilligt", exact=True).count():
            break
        await page.wait_for_timeout(250)
        await page.reload()
    await expect(page.get_by_role("cell", name="Bewilligt", exact=True)).to_be_visible()
    await page.get_by_role("button", name="English").click()
    await expect(page.get_by_role("cell", name="Approved", exact=True)).to_be_visible()
    await check_page(page)
