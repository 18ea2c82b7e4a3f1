"""The codec server runs behind the services' limits: anonymous requests from one address
are rate-limited, a body that trickles in is cut off, and it is served with the header
deadline of shared/serving.py."""

from __future__ import annotations

from pathlib import Path

import httpx

from services.codec.app import create_app
from shared.limits import BodyLimitMiddleware, UnauthenticatedLimit
from shared.serving import HeaderDeadlineProtocol, server_config
from shared.settings import WirSettings


def _settings(tmp_path: Path) -> WirSettings:
    return WirSettings(data_dir=tmp_path, unauthenticated_per_minute=3, body_read_seconds=2)


async def test_anonymous_requests_past_the_allowance_get_429(tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path))
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 4711))
    async with httpx.AsyncClient(transport=transport, base_url="http://codec") as client:
        answers = [
            (await client.post("/decode", json={"payloads": []})).status_code for _ in range(5)
        ]
        assert answers[:3] == [401, 401, 401]
        assert answers[3:] == [429, 429]
        health = await client.get("/health")
        assert health.status_code == 200


def test_the_codec_server_has_the_body_deadline_and_the_header_deadline(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    app = create_app(settings)
    kinds: list[object] = [m.cls for m in app.user_middleware]
    assert UnauthenticatedLimit in kinds and BodyLimitMiddleware in kinds
    body_limit = app.user_middleware[kinds.index(BodyLimitMiddleware)]
    assert body_limit.kwargs["read_seconds"] == 2
    config = server_config(app, settings, port=1)
    assert isinstance(config.http, type) and issubclass(config.http, HeaderDeadlineProtocol)
    assert config.http.header_read_seconds == settings.header_read_seconds
