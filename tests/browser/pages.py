"""What the browser tests do on every page: sign in, check accessibility and translations,
take a screenshot when asked (``WIR_SCREENSHOTS=1``)."""

from __future__ import annotations

import os

from axe_playwright_python.async_playwright import Axe  # type: ignore[import-untyped]
from babel.messages.pofile import read_po
from playwright.async_api import Page, expect

from services.web.i18n import catalogue_files
from tests.browser.conftest import SCREENSHOTS

_axe = Axe()


def _distinct(shown: int) -> list[str]:
    """Texts of the catalogue that differ between German and English: the message id
    (``shown`` 0: English) or its German text (1). Seen on a page of the other language, a
    text was not translated. Short ones (such as "Filter") may read the same in both."""
    merged: dict[str, str] = {}
    for path in catalogue_files("de"):
        with path.open("rb") as handle:
            merged |= {str(m.id): str(m.string) for m in read_po(handle) if m.id}
    pairs = [(mid, text) for mid, text in merged.items() if text != mid]
    return sorted(
        pair[shown] for pair in pairs if len(pair[shown]) > 14 and "%(" not in pair[shown]
    )


ENGLISH_ONLY = _distinct(0)
GERMAN_ONLY = _distinct(1)


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


async def check_page(page: Page, screenshot: str | None = None, *, axe: bool = True) -> None:
    """No serious or critical axe-core violation (``axe``: it runs as the page's script, so
    not where JavaScript is off); no message id left untranslated; a screenshot into
    docs/screenshots when WIR_SCREENSHOTS is set."""
    if axe:
        results = await _axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert not bad, f"{page.url}: {bad}"
    language = await page.locator("html").get_attribute("lang")
    text = await page.locator("body").inner_text()
    lines = {line.strip() for line in text.replace("\t", "\n").splitlines()}
    other = ENGLISH_ONLY if language == "de" else GERMAN_ONLY
    # a text alone on its line or in its cell (data such as an offer's name may hold a
    # word that is also a label), or a long one anywhere
    shown = [m for m in other if m in lines or (len(m) >= 40 and m in text)]
    assert not shown, f"{page.url} ({language}) shows texts of the other language: {shown}"
    if screenshot and os.environ.get("WIR_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"), full_page=True)
