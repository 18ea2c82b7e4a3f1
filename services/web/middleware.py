"""The session of each page request: loaded (or started) before the route, stored after it.

Static files and the health check go without. A new session's cookie, or the new id after
signing in (``request.state.new_session_id``), is set on the answer; signing out sets
``request.state.end_session`` and the cookie is deleted. Every answer says how long the
app took for it, from here on (``Server-Timing: app;dur=<ms>``; bench/web.py reads it).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.web import sessions
from shared.settings import WirSettings

WITHOUT_SESSION = ("/static/", "/health")


def preferred_language(request: Request) -> str:
    chosen = request.cookies.get(sessions.LANGUAGE_COOKIE)
    if chosen in sessions.LANGUAGES:
        return chosen
    header = request.headers.get("accept-language", "").lower()
    return "en" if header.startswith("en") else "de"


def session_middleware(
    settings: WirSettings, sessionmaker: async_sessionmaker[AsyncSession]
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    async def middleware(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await _with_session(request, call_next)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.1f}"
        return response

    async def _with_session(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path.startswith(WITHOUT_SESSION):
            return await call_next(request)
        async with sessionmaker() as db:
            raw = request.cookies.get(sessions.COOKIE)
            web = await sessions.load(db, raw, settings) if raw else None
            new_id = None
            if web is None:
                new_id, web = sessions.new_session(settings, language=preferred_language(request))
                db.add(web)
            request.state.web = web
            request.state.db = db
            response = await call_next(request)
            await db.commit()
        options = sessions.cookie_options(request.url.hostname)
        new_id = getattr(request.state, "new_session_id", None) or new_id
        if getattr(request.state, "end_session", False):
            response.delete_cookie(sessions.COOKIE, **options)  # type: ignore[arg-type]
        elif new_id:
            response.set_cookie(sessions.COOKIE, new_id, **options)  # type: ignore[arg-type]
        return response

    return middleware
