"""The cases service: the district's service catalogue and refugee case management.

The refugee's personal data lives in this service's database only.
Run: ``uvicorn --factory services.cases.app:create_app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from services.cases import api_cases, api_offers, consumers
from shared import problems
from shared.health import health_router
from shared.runtime import open_runtime
from shared.settings import WirSettings

NAME = "cases"
MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: WirSettings | None = None) -> FastAPI:
    settings = settings or WirSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await open_runtime(settings, name=NAME, migrations=MIGRATIONS)
        app.state.runtime = runtime
        consumers.start(runtime)
        try:
            yield
        finally:
            await runtime.close()

    app = FastAPI(
        title="WIR cases",
        summary="The district's service catalogue and refugee case management under WIR",
        version="0.1.0",
        lifespan=lifespan,
    )
    problems.install(app)
    app.include_router(health_router(NAME))
    app.include_router(api_offers.router)
    app.include_router(api_cases.router)
    return app
