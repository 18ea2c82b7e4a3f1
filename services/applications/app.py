"""The applications service: organisations, the priorities catalogue and grant applications.

Run: ``uvicorn --factory services.applications.app:create_app``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.applications import consumers
from services.applications.applications import routes as applications
from services.applications.attachments import routes as attachments
from services.applications.catalogue import routes as catalogue
from services.applications.funding import routes as funding
from services.applications.office import routes as office
from services.applications.review import routes as review
from services.applications.rounds import routes as rounds
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
        # office first: /applications/export.csv must not be taken for an application id
        routers=[
            office.router,
            catalogue.router,
            rounds.router,
            applications.router,
            review.router,
            funding.router,
            attachments.uploads,
            attachments.router,
        ],
        start_consumers=consumers.start,
    )
