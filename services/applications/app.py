"""The applications service: organisations, the priorities catalogue and grant applications.

Run: ``uvicorn --factory services.applications.app:create_app``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.applications import consumers
from services.applications.api import router
from shared.app import build_service_app
from shared.settings import WirSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: WirSettings | None = None) -> FastAPI:
    return build_service_app(
        name="applications",
        title="WIR applications",
        summary="Grant applications under the Hessian integration programme WIR",
        settings=settings or WirSettings(),
        migrations=MIGRATIONS,
        routers=[router],
        start_consumers=consumers.start,
    )
