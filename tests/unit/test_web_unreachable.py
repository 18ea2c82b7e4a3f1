"""With an API down, a page says so in words (503) instead of failing with a traceback."""

from __future__ import annotations

from pathlib import Path

import httpx

from deploy.probes import free_port
from shared.settings import WirSettings
from tests.servers import serve


async def test_an_unreachable_api_gives_a_page_in_words(tmp_path: Path) -> None:
    from services.web.app import create_app

    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = WirSettings(
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/{{service}}.db",
        web_cases_url=nowhere,
    )
    async with serve(create_app(settings)) as web, httpx.AsyncClient(base_url=web) as client:
        answer = await client.get("/offers")
    assert answer.status_code == 503
    assert "Ein Dienst ist nicht erreichbar" in answer.text
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
