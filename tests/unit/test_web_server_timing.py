"""Every page says how long the web app took for it (``Server-Timing``; bench/web.py)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from shared.settings import WirSettings
from tests.servers import serve


async def test_a_page_carries_the_apps_own_time(tmp_path: Path) -> None:
    from services.web.app import create_app

    settings = WirSettings(
        data_dir=tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db"
    )
    async with serve(create_app(settings)) as web, httpx.AsyncClient(base_url=web) as client:
        page = await client.get("/sign-in")
        health = await client.get("/health")
    assert page.status_code == 200
    assert re.fullmatch(r"app;dur=[0-9]+\.[0-9]", page.headers["server-timing"])
    assert health.headers["server-timing"].startswith("app;dur=")
