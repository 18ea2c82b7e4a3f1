"""The browser tests: the whole stack (Temporal dev server, nats-server, the worker, the
applications and cases services) plus the web front end over real HTTP, driven by Debian's
chromium through Playwright. Without ``/usr/bin/chromium`` they skip."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright

from shared.bus import connect_nats
from shared.settings import WirSettings
from tests.servers import caught_up, serve

CHROMIUM = os.environ.get("WIR_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


def _chromium() -> str:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(
            f"no chromium at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(or point WIR_CHROMIUM at one) to run the browser tests"
        )
    return CHROMIUM


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    executable = _chromium()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, headless=True)
        yield launched
        await launched.close()


@pytest_asyncio.fixture(scope="session")
async def web_url(
    settings: WirSettings,
    applications_url: str,
    cases_url: str,
    notifications_url: str,
    coordination_url: str,
) -> AsyncIterator[str]:
    from services.web.app import create_app

    web_settings = settings.model_copy(
        update={
            "web_applications_url": applications_url,
            "web_cases_url": cases_url,
            "web_notifications_url": notifications_url,
            # the coordination service on the tests' loopback host: its URL by its port
            "coordination_port": int(coordination_url.rsplit(":", 1)[1]),
        }
    )
    async with serve(create_app(web_settings)) as url:
        yield url


@pytest_asyncio.fixture
async def page(browser: Browser, web_url: str) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=web_url, locale="de-DE", accept_downloads=True)
    opened = await context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    await context.close()


@pytest_asyncio.fixture
async def no_script_page(browser: Browser, web_url: str) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=web_url, locale="de-DE", java_script_enabled=False)
    opened = await context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    await context.close()


@pytest_asyncio.fixture
async def office(applications_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The programme office over the API, to set up rounds and organisations."""
    from shared.auth import Role
    from tests import auth

    headers = auth.headers("petra.officer", Role.programme_officer)
    async with httpx.AsyncClient(base_url=applications_url, headers=headers, timeout=30) as c:
        yield c


@pytest_asyncio.fixture(scope="session")
async def quick_notifications_url(
    settings: WirSettings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """A notifications service of its own (database, durable consumer) whose deliveries are
    retried within a second and then given up, and whose webhooks may call loopback: a
    failed delivery for the operator's pages to show and send again."""
    import uuid

    from services.notifications.app import create_app
    from services.notifications.settings import NotificationSettings

    db = tmp_path_factory.mktemp("quick-notifications") / "notifications.db"
    quick = NotificationSettings(
        **settings.model_dump(exclude={"database_url"}),
        database_url=f"sqlite+aiosqlite:///{db}",
        notifications_durable=f"notifications-web-{uuid.uuid4().hex[:6]}",
        webhook_allow_private_networks=True,
        notification_retry_initial_seconds=0.2,
        notification_retry_max_seconds=0.4,
        notification_give_up_seconds=1.0,
        notification_dispatch_interval_seconds=0.2,
    )
    async with serve(create_app(quick)) as url:
        nc = await connect_nats(settings, name="test-quick-notifications")
        try:
            await caught_up(nc.jetstream(), settings.stream_name, quick.notifications_durable)
        finally:
            await nc.close()
        yield url


@pytest_asyncio.fixture(scope="session")
async def operations_web_url(
    settings: WirSettings, applications_url: str, cases_url: str, quick_notifications_url: str
) -> AsyncIterator[str]:
    """The web front end as ``web_url``, with the notifications API of the operator's pages."""
    from services.web.app import create_app

    web_settings = settings.model_copy(
        update={
            "web_applications_url": applications_url,
            "web_cases_url": cases_url,
            "web_notifications_url": quick_notifications_url,
        }
    )
    async with serve(create_app(web_settings)) as url:
        yield url


@pytest_asyncio.fixture
async def operations_page(browser: Browser, operations_web_url: str) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=operations_web_url, locale="de-DE")
    opened = await context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    await context.close()
