"""The notifications service: turns WIR events into notifications for their addressees.

Run: ``uvicorn --factory services.notifications.app:create_app``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.notifications import consumers
from services.notifications.api import router
from services.notifications.api_deadletters import router as dead_letters_router
from shared.app import build_service_app
from shared.settings import WirSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: WirSettings | None = None) -> FastAPI:
    return build_service_app(
        name="notifications",
        title="WIR notifications",
        summary="Notifications to applicants and case managers about WIR events",
        settings=settings or WirSettings(),
        migrations=MIGRATIONS,
        routers=[router, dead_letters_router],
        start_consumers=consumers.start,
        with_temporal=False,
    )
