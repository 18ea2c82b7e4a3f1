"""The coordination service: the district's WIR coordination office.

The network of actors (institutions and their contact persons), working groups with their
meetings and action items, and (issue 15, part 2) specialist days, intercultural-opening
measures and the year's activity report. Contact persons are personal data: they live in
this service's database only, never in events, logs or workflow histories. Refugees appear
here only as case ids.
Run: ``uvicorn --factory services.coordination.app:create_app``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.coordination import consumers
from services.coordination.routers import ROUTERS
from shared.app import build_service_app
from shared.serving import quiet_query_strings
from shared.settings import WirSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: WirSettings | None = None) -> FastAPI:
    quiet_query_strings()  # names searched for (GET /actors?q=…) stay out of the access log
    return build_service_app(
        name="coordination",
        title="WIR coordination",
        summary="The district's WIR coordination office: network, working groups, "
        "specialist days, measures and the activity report",
        settings=settings or WirSettings(),
        migrations=MIGRATIONS,
        routers=ROUTERS,
        start_consumers=consumers.start,
    )
