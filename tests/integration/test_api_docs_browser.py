"""``/docs`` and ``/redoc`` render in a real browser under their Content-Security-Policy and
fetch nothing from another host (shared/docs.py, shared/headers.py).

Needs a Chromium (the system's ``chromium``, or Playwright's own); skipped without one.
"""

from __future__ import annotations

import shutil

import pytest
from playwright.async_api import async_playwright

pytestmark = pytest.mark.same_on_every_database  # not run again on PostgreSQL

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

#: ReDoc's sidebar credit shows a logo from cdn.redoc.ly; the policy blocks it (no request
#: leaves the machine), which the browser reports. Nothing else may be blocked.
REDOC_LOGO = "https://cdn.redoc.ly/"


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine")
async def test_swagger_ui_and_redoc_render_offline(applications_url: str) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = await browser.new_page()
            errors: list[str] = []
            elsewhere: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith((applications_url, "blob:"))
                    else elsewhere.append(r.url)
                ),
            )
            await page.goto(f"{applications_url}/docs")
            await page.wait_for_selector(".opblock-summary-path", timeout=20_000)
            paths = await page.locator(".opblock-summary-path").all_inner_texts()
            assert "/applications/{application_id}" in paths
            await page.goto(f"{applications_url}/redoc")
            await page.wait_for_selector("h1", timeout=20_000)
            assert "WIR applications" in await page.locator("h1").first.inner_text()
            await page.wait_for_timeout(500)
        finally:
            await browser.close()
    assert all(url.startswith(REDOC_LOGO) for url in elsewhere), elsewhere
    assert all(REDOC_LOGO in text for text in errors), errors
