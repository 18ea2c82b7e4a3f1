"""What the browser tests do on every page: sign in, check accessibility and translations,
take a screenshot when asked (``WIR_SCREENSHOTS=1``)."""

from __future__ import annotations

import os
import re

from axe_playwright_python.async_playwright import Axe  # type: ignore[import-untyped]
from babel.messages.pofile import read_po
from playwright.async_api import Page, expect

from services.web.i18n import LOCALE_DIR
from tests.browser.conftest import SCREENSHOTS

_axe = Axe()


def _untranslated() -> list[str]:
    """Message ids whose German text differs from them: if one shows on a German page, a
    text was not translated (short ones such as "Filter" may read the same in both)."""
    found: set[str] = set()
    for path in (LOCALE_DIR / "de" / "LC_MESSAGES").glob("*.po"):
        with path.open("rb") as handle:
            catalog = read_po(handle)
        found |= {
            str(m.id)
            for m in catalog
            if m.id and m.string != m.id and len(str(m.id)) > 14 and "%(" not in str(m.id)
        }
    return sorted(found)


UNTRANSLATED = _untranslated()


async def sign_in(
    page: Page,
    user: str,
    *roles: str,
    name: str | None = None,
    organisation: str | None = None,
) -> None:
    await page.goto("/sign-in")
    await page.get_by_label("Benutzerkennung").fill(user)
    await page.get_by_label("Anzeigename").fill(name or user)
    for role in roles:
        await page.locator(f"#role-{role}").check()
    if organisation:
        await page.get_by_label("Kennung des Trägers").fill(organisation)
    await page.get_by_role("button", name="Anmelden", exact=True).click()
    await expect(page.get_by_text("Sie sind angemeldet.")).to_be_visible()


async def sign_out(page: Page) -> None:
    await page.get_by_role("button", name="Abmelden").click()
    await expect(page.get_by_role("heading", name="Abgemeldet")).to_be_visible()


async def check_page(page: Page, screenshot: str | None = None) -> None:
    """No serious or critical axe-core violation; no message id left untranslated; a
    screenshot into docs/screenshots when WIR_SCREENSHOTS is set."""
    results = await _axe.run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: {bad}"
    language = await page.locator("html").get_attribute("lang")
    if language == "de":
        text = await page.locator("body").inner_text()
        shown = [m for m in UNTRANSLATED if re.search(re.escape(m), text)]
        assert not shown, f"{page.url} shows untranslated texts: {shown}"
    if screenshot and os.environ.get("WIR_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"), full_page=True)
