"""Webhook calls ignore proxy settings from the environment: a proxy would connect to an
address the request-forgery guard never checked."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from services.notifications.deliveries.channels import webhook_client
from tests.servers import serve


async def test_a_proxy_in_the_environment_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    app = FastAPI()

    @app.get("/hook")
    async def hook() -> dict[str, str]:
        return {"reached": "directly"}

    async with serve(app) as url:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
            monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens on port 9
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        async with webhook_client() as client:
            answer = await client.get(f"{url}/hook")
    assert answer.json() == {"reached": "directly"}
