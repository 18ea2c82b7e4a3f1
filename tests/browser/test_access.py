"""Journey 6: a page never shows another organisation's data. Signed in as the wrong user,
the URL of someone else's application answers 404 (as the API does)."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests import grant_flows as flow
from tests.browser.pages import check_page, sign_in


async def test_other_organisations_application_is_not_found(
    page: Page, office: httpx.AsyncClient
) -> None:
    round_id = await flow.open_round(office)
    owner = await flow.organisation(office, name="Lahn-Dill-Kreis")
    other = await flow.organisation(office, name="Wetteraukreis")
    body = {"organisation_id": owner, "round_id": round_id, "priority_code": "coordination"}
    created = await office.post("/applications", json={**body, **flow.content()})
    assert created.status_code == 201, created.text
    url = f"/applications/{created.json()['id']}"

    await sign_in(page, "fremd", "applicant", organisation=other)
    answer = await page.goto(url)
    assert answer is not None and answer.status == 404
    await expect(page.get_by_role("heading", name="Seite nicht gefunden")).to_be_visible()
    await expect(page.get_by_text("WIR-Koordination")).to_have_count(0)
    await check_page(page)
    bescheid = await page.goto(url + "/bescheid")
    assert bescheid is not None and bescheid.status == 404

    # a reviewer not assigned to it: the same
    await sign_in(page, "rolf.reviewer", "reviewer")
    answer = await page.goto(url)
    assert answer is not None and answer.status == 404

    # the reviewer declares a conflict of interest (an empty form is refused at its fields)
    await page.goto("/reviews")
    await page.get_by_role("button", name="Konflikt erklären").click()
    await expect(page.locator("#organisation_id-error")).to_be_visible()
    await page.get_by_label("Kennung des Trägers").fill(other)
    await page.locator("#conflict_reason").fill("Mitglied im Vorstand")
    await page.get_by_role("button", name="Konflikt erklären").click()
    await expect(page.get_by_text("Der Interessenkonflikt ist erklärt.")).to_be_visible()
    await expect(page.get_by_text("Mitglied im Vorstand", exact=False)).to_be_visible()
    await check_page(page)

    # and the applicant's own list stays empty for the other organisation
    await sign_in(page, "fremd", "applicant", organisation=other)
    await page.goto("/applications")
    await expect(page.get_by_text("Es gibt noch keine Anträge.")).to_be_visible()
