"""``GET /health``: the service is up and its database and NATS connection answer."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from shared.deps import RuntimeDep


def health_router(service: str) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health")
    async def health(runtime: RuntimeDep) -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            async with runtime.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        checks["nats"] = "ok" if runtime.nats.is_connected else "reconnecting"
        healthy = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"service": service, "status": "ok" if healthy else "degraded", "checks": checks},
            status_code=200 if healthy else 503,
        )

    return router
