"""The notifications service: turns WIR events into notifications for their addressees,
sends them by e-mail and to webhooks, and keeps the delivery log.

Run: ``uvicorn --factory services.notifications.app:create_app``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.notifications import consumers
from services.notifications.deadletters.routes import router as dead_letters_router
from services.notifications.deliveries.routes import router as deliveries_router
from services.notifications.inbox.routes import router
from services.notifications.recipients.routes import router as recipients_router
from services.notifications.settings import notification_settings
from shared.app import build_service_app
from shared.settings import WirSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: WirSettings | None = None) -> FastAPI:
    return build_service_app(
        name="notifications",
        title="WIR notifications",
        summary="Notifications about WIR events: in-app, e-mail (German and English), webhooks",
        settings=notification_settings(settings),
        migrations=MIGRATIONS,
        routers=[router, recipients_router, deliveries_router, dead_letters_router],
        start_consumers=consumers.start,
        with_temporal=False,
    )
