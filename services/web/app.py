"""The web front end: pages for every role, acting for the signed-in user against the APIs.

Run: ``python -m deploy.serve services.web.app:create_app --port 8000``. It owns one table
(its sessions, ``services/web/migrations``) and calls the applications, cases and
notifications APIs over HTTP with the user's bearer token; it imports none of them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.web import errors, health
from services.web.auth import demo, oidc, signout
from services.web.endpoints import service_urls
from services.web.middleware import session_middleware
from services.web.pages import (
    applicant,
    application,
    attachments,
    case_commands,
    case_fachtage,
    case_file,
    case_support,
    case_work,
    cases,
    catalogue,
    change_requests,
    coord_cadence,
    coord_contacts,
    coord_day_commands,
    coord_days,
    coord_groups,
    coord_meetings,
    coord_network,
    coord_report,
    decisions,
    home,
    language,
    letters,
    office,
    office_organisations,
    office_overdue,
    office_rounds,
    operator,
    provider,
    reports,
    reviews,
    revision,
    statistics,
    volunteers,
)
from services.web.render import build_renderer
from shared import tracing
from shared.db import create_engine
from shared.headers import SecurityHeadersMiddleware
from shared.logs import install_request_ids
from shared.metrics import install_metrics
from shared.migrations import upgrade
from shared.settings import WirSettings

HERE = Path(__file__).parent
MIGRATIONS = HERE / "migrations"
# Fira Sans from the fontpkg-fira-sans package, served by this app (no CDN)
FONTS = Path(str(files("fontpkg_fira_sans") / "files"))
API_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


def create_app(settings: WirSettings | None = None) -> FastAPI:
    settings = settings or WirSettings()
    engine = create_engine(settings.database_url_for("web"))
    sessionmaker = async_sessionmaker(engine, expire_on_commit=False)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop_tracing = tracing.configure(settings, service="web")
        await upgrade(engine, MIGRATIONS)
        async with httpx.AsyncClient(timeout=API_TIMEOUT) as http:
            app.state.http = http
            yield
        await engine.dispose()
        stop_tracing()

    app = FastAPI(
        title="WIR web",
        summary="The pages of WIR for applicants, staff and providers",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        telemetry=tracing.FASTAPI_TELEMETRY,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.renderer = build_renderer()
    app.state.api_urls = service_urls(settings)
    app.middleware("http")(session_middleware(settings, sessionmaker))
    app.add_middleware(SecurityHeadersMiddleware)
    tracing.install_http(app, settings)  # a span for every request
    # outermost: GET /metrics answered before the session middleware makes a session
    install_metrics(app, service="web", token=settings.metrics_token)
    install_request_ids(app)
    errors.install(app)
    app.mount("/static/fonts", StaticFiles(directory=FONTS), name="fonts")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(health.router)
    # /applications/new before /applications/{application_id}
    pages = (home, language, demo, oidc, signout, catalogue, applicant, application, revision)
    office_pages = (office, office_rounds, office_organisations, office_overdue)
    for module in (*pages, *office_pages, letters, attachments, change_requests):
        app.include_router(module.router)
    for module in (statistics, reports, reviews, decisions):
        app.include_router(module.router)
    # the case manager's, provider's and operator's pages; /cases/new before /cases/{case_id}
    cases_pages = (cases, case_file, case_commands, case_support, case_work, volunteers)
    for module in (*cases_pages, case_fachtage, provider, operator):
        app.include_router(module.router)
    # the coordination office's pages; …/new before …/{id}
    coordination = (coord_network, coord_contacts, coord_groups, coord_meetings, coord_days)
    for module in (*coordination, coord_cadence, coord_day_commands, coord_report):
        app.include_router(module.router)
    return app
