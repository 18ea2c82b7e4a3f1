"""The notifications service: turns WIR events into notifications for their addressees.

Run: ``uvicorn --factory services.notifications.app:create_app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from services.notifications import consumers
from services.notifications.api import router
from shared import problems
from shared.health import health_router
from shared.runtime import open_runtime
from shared.settings import WirSettings

NAME = "notifications"
MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: WirSettings | None = None) -> FastAPI:
    settings = settings or WirSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await open_runtime(
            settings, name=NAME, migrations=MIGRATIONS, with_temporal=False
        )
        app.state.runtime = runtime
        consumers.start(runtime)
        try:
            yield
        finally:
            await runtime.close()

    app = FastAPI(
        title="WIR notifications",
        summary="Notifications to applicants and case managers about WIR events",
        version="0.1.0",
        lifespan=lifespan,
    )
    problems.install(app)
    app.include_router(health_router(NAME))
    app.include_router(router)
    return app
