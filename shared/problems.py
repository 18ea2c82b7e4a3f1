"""RFC 9457 problem details for every WIR service, including Temporal failures.

``install(app)`` registers the handlers: validation errors become 422 with field errors,
rejected workflow updates 409 (stage conflict) or 422 (invalid command), an unreachable
Temporal server 503. Nothing internal reaches the client: a database error becomes 409
(integrity) or 503 (unreachable, locked), a query value the database column cannot hold
(a time outside years 1-9999 once in UTC) 422, and anything else 500, each with a generic text
and a ``request_id`` under which the exception is logged on the server.
"""

from __future__ import annotations

import logging
import uuid
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError, StatementError
from starlette.exceptions import HTTPException
from temporalio.client import WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from shared.logs import current_request_id

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"

#: ``ApplicationError.type`` values a workflow update validator raises.
STAGE_CONFLICT = "StageConflict"
INVALID_COMMAND = "InvalidCommand"

_KNOWN = frozenset(status.value for status in HTTPStatus)


class ProblemError(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers
        self.extra = extra


def problem(
    status: int, title: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    # also here, not only in shared/headers.py: a 500 is sent from outside all middleware
    headers = {"X-Content-Type-Options": "nosniff", **(headers or {})}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def not_found(what: str, ident: str) -> ProblemError:
    return ProblemError(404, "Not found", f"{what} {ident} does not exist")


def stage_conflict(detail: str) -> ProblemError:
    return ProblemError(409, "Not allowed in this stage", detail)


async def _problem_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return problem(exc.status, exc.title, exc.detail, headers=exc.headers, **exc.extra)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    return problem(422, "Invalid request", "The request has invalid fields.", errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own errors: 404 for an unknown path, 405 with the ``Allow`` header it
    computed from the routes of the path (kept: RFC 9110 requires it on a 405)."""
    assert isinstance(exc, HTTPException)
    title = HTTPStatus(exc.status_code).phrase if exc.status_code in _KNOWN else "HTTP error"
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names the methods of the first route of the path only
        headers["Allow"] = ", ".join(allowed_methods(request))
    return problem(exc.status_code, title, str(exc.detail), headers=headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the request's path answers (routes of included
    routers with their prefixes)."""
    path = request.scope.get("path", "")
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods |= route.methods or set()
    return sorted(methods)


async def _update_failed(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, WorkflowUpdateFailedError)
    cause = exc.cause
    if isinstance(cause, ApplicationError) and cause.type == STAGE_CONFLICT:
        return problem(409, "Not allowed in this stage", cause.message)
    if isinstance(cause, ApplicationError) and cause.type == INVALID_COMMAND:
        return problem(422, "Invalid command", cause.message)
    return _logged(
        request, exc, 500, "Command failed", "The workflow could not carry out the command."
    )


async def _update_timeout(_: Request, exc: Exception) -> JSONResponse:
    return problem(
        503, "Workflow busy", "The command was not confirmed in time; check the state and retry."
    )


async def _rpc_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RPCError)
    if exc.status == RPCStatusCode.NOT_FOUND and "already completed" in exc.message:
        return problem(409, "Not allowed in this stage", "The process of this record has ended.")
    if exc.status == RPCStatusCode.NOT_FOUND:
        return problem(404, "Not found", "The workflow for this record does not exist.")
    if exc.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED):
        return problem(
            503,
            "Workflow engine unavailable",
            "The Temporal server cannot be reached; nothing was changed. Retry shortly.",
        )
    return _logged(request, exc, 502, "Workflow engine error", "The workflow engine failed.")


async def _runtime_error(request: Request, exc: Exception) -> JSONResponse:
    # A lazily connected Temporal client reports an unreachable server this way.
    if "Failed client connect" in str(exc):
        return problem(
            503,
            "Workflow engine unavailable",
            "The Temporal server cannot be reached; nothing was changed. Retry shortly.",
        )
    return await _unhandled(request, exc)


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """Never the statement or its parameters: they may hold SQL and personal data."""
    if isinstance(exc, IntegrityError):
        return _logged(
            request,
            exc,
            409,
            "Conflict",
            "The change conflicts with data stored meanwhile; nothing was changed.",
            level=logging.WARNING,
        )
    if isinstance(exc, StatementError) and isinstance(exc.orig, OverflowError):
        # a value from the request that cannot be bound, e.g. 0001-01-01T00:00:00+23:59
        # for a UTC column: the route should have refused it; this is the backstop
        return _logged(
            request,
            exc,
            422,
            "Invalid request",
            "A date, time or number in the request is out of range.",
            level=logging.WARNING,
        )
    if isinstance(exc, OperationalError):
        return _logged(
            request,
            exc,
            503,
            "Database unavailable",
            "The database could not carry out the request; nothing was changed. Retry shortly.",
        )
    return await _unhandled(request, exc)


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    """Any exception no other handler took: 500 with an id to find it in the log."""
    return _logged(
        request, exc, 500, "Internal error", "The request failed; nothing is known to have changed."
    )


def _logged(
    request: Request,
    exc: Exception,
    status: int,
    title: str,
    detail: str,
    *,
    level: int = logging.ERROR,
) -> JSONResponse:
    # the id the request's log lines carry (shared/logs.py), when it has one
    request_id = current_request_id() or uuid.uuid4().hex
    log.log(
        level,
        "%s %s failed (request %s, answered %s)",
        request.method,
        request.url.path,
        request_id,
        status,
        exc_info=exc,
    )
    return problem(
        status, title, detail, headers={"X-Request-Id": request_id}, request_id=request_id
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(WorkflowUpdateFailedError, _update_failed)
    app.add_exception_handler(WorkflowUpdateRPCTimeoutOrCancelledError, _update_timeout)
    app.add_exception_handler(RPCError, _rpc_error)
    app.add_exception_handler(RuntimeError, _runtime_error)
    app.add_exception_handler(SQLAlchemyError, _database_error)
    # Starlette answers with this handler, then re-raises so the server logs it as well.
    app.add_exception_handler(Exception, _unhandled)
