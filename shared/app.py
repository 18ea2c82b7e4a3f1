"""The FastAPI application every WIR service is built as.

A service names its routers, migrations and consumers; this module gives it the lifespan
(runtime opened and closed), problem-details errors (documented as such in its OpenAPI
document, shared/openapi.py), unknown query parameters refused (shared/query.py),
``GET /health``, the event catalogue under ``GET /events/...`` and the API docs at
``/docs`` and ``/redoc`` served without internet (shared/docs.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI

from shared import openapi, problems, tracing
from shared.audit import AuditMiddleware
from shared.audit_api import audit_router
from shared.audit_relay import relay_audit_events
from shared.audit_unauthenticated import UnauthenticatedTally, record_unauthenticated_counts
from shared.auth import install_auth
from shared.docs import install_docs
from shared.event_routes import events_router
from shared.headers import SecurityHeadersMiddleware
from shared.health import health_router
from shared.limits import (
    UPLOAD_FORM_ALLOWANCE,
    BodyLimitMiddleware,
    UnauthenticatedLimit,
    upload_routes,
)
from shared.logs import install_request_ids
from shared.metrics import install_metrics
from shared.query import known_query_only
from shared.runtime import ServiceRuntime, open_runtime
from shared.settings import WirSettings

VERSION = "0.1.0"


def build_service_app(
    *,
    name: str,
    title: str,
    summary: str,
    settings: WirSettings,
    migrations: Path,
    routers: Sequence[APIRouter],
    start_consumers: Callable[[ServiceRuntime], None],
    with_temporal: bool = True,
) -> FastAPI:
    # Refused unauthenticated requests: counted, not one audit row each (shared/audit.py).
    tally = UnauthenticatedTally()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop_tracing = tracing.configure(settings, service=name)
        runtime = await open_runtime(
            settings, name=name, migrations=migrations, with_temporal=with_temporal
        )
        app.state.runtime = runtime
        start_consumers(runtime)
        runtime.start_task("audit-relay", lambda stop: relay_audit_events(runtime, stop))
        runtime.start_task(
            "audit-unauthenticated",
            lambda stop: record_unauthenticated_counts(runtime, tally, stop),
        )
        try:
            yield
        finally:
            await runtime.close()
            stop_tracing()

    app = FastAPI(
        title=title,
        summary=summary,
        version=VERSION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(known_query_only)],
        telemetry=tracing.FASTAPI_TELEMETRY,
    )
    problems.install(app)
    openapi.install(app)
    install_docs(app, title=title)
    install_auth(app, settings)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(AuditMiddleware, service=name, tally=tally)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        read_seconds=settings.body_read_seconds,
        upload_routes=upload_routes(routers),
        upload_max_bytes=settings.attachment_max_bytes + UPLOAD_FORM_ALLOWANCE,
    )
    # outermost: an address over its allowance is refused before its body is read
    app.add_middleware(
        UnauthenticatedLimit,
        per_minute=settings.unauthenticated_per_minute,
        refused=tally.count,
    )
    tracing.install_http(app, settings)  # a span for every request
    # outermost of all: every request counted and timed, its log lines given its id
    install_metrics(app, service=name, token=settings.metrics_token)
    install_request_ids(app)
    app.include_router(health_router(name))
    app.include_router(events_router())
    for router in routers:
        app.include_router(router)
    app.include_router(audit_router(name))
    return app
