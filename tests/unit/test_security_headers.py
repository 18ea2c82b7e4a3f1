"""shared/headers.py: nosniff on every answer, the HTML headers on HTML answers only."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, PlainTextResponse

from shared import problems
from shared.headers import DOCS_POLICY, HTML_POLICY, SecurityHeadersMiddleware
from shared.problems import ProblemError


def _app() -> FastAPI:
    app = FastAPI()
    problems.install(app)
    app.add_middleware(SecurityHeadersMiddleware)

    @app.get("/letter")
    async def letter() -> HTMLResponse:
        return HTMLResponse("<p>Zuwendungsbescheid</p>")

    @app.get("/framable")
    async def framable() -> HTMLResponse:
        return HTMLResponse("<p>x</p>", headers={"X-Frame-Options": "SAMEORIGIN"})

    @app.get("/text")
    async def text() -> PlainTextResponse:
        return PlainTextResponse("a;b")

    @app.get("/refused")
    async def refused() -> None:
        raise ProblemError(409, "No approval", "not yet")

    @app.get("/broken")
    async def broken() -> None:
        raise KeyError("boom")

    return app


async def test_html_answers_get_policy_frame_and_referrer_headers() -> None:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        letter = await client.get("/letter")
        docs = await client.get("/docs")
        framable = await client.get("/framable")
        others = [await client.get(p) for p in ("/text", "/refused", "/broken", "/openapi.json")]
    assert letter.headers["content-security-policy"] == HTML_POLICY
    assert letter.headers["x-frame-options"] == "DENY"
    assert letter.headers["referrer-policy"] == "no-referrer"
    assert docs.headers["content-security-policy"] == DOCS_POLICY
    assert framable.headers["x-frame-options"] == "SAMEORIGIN"  # the route's own wins
    assert [a.status_code for a in others] == [200, 409, 500, 200]
    for answer in [letter, docs, framable, *others]:
        assert answer.headers.get_list("x-content-type-options") == ["nosniff"], answer.url
    for answer in others:
        assert "content-security-policy" not in answer.headers
        assert "x-frame-options" not in answer.headers
