"""The cases service: the district's service catalogue and refugee case management.

The refugee's personal data lives in this service's database only.
Run: ``uvicorn --factory services.cases.app:create_app``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.cases import consumers
from services.cases.attachments import routes as attachments
from services.cases.cases import routes as cases
from services.cases.offers import routes as offers
from services.cases.support import routes as support
from services.cases.work import routes as work
from shared.app import build_service_app
from shared.serving import quiet_query_strings
from shared.settings import WirSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: WirSettings | None = None) -> FastAPI:
    quiet_query_strings()  # names searched for (GET /cases?q=…) stay out of the access log
    return build_service_app(
        name="cases",
        title="WIR cases",
        summary="The district's service catalogue and refugee case management under WIR",
        settings=settings or WirSettings(),
        migrations=MIGRATIONS,
        routers=[
            offers.router,
            cases.router,
            work.router,
            support.router,
            attachments.uploads,
            attachments.router,
        ],
        start_consumers=consumers.start,
    )
