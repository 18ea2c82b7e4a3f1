"""The OpenAPI document of every WIR service says what the service answers.

FastAPI documents a route's success answer and a 422 in the shape of its own
``HTTPValidationError``. WIR's errors are RFC 9457 problem details (shared/problems.py),
sent as ``application/problem+json`` by handlers and middleware that FastAPI does not see.
:func:`install` post-processes the generated document once: every operation gets the
error answers it can really give, each with the ``Problem`` schema, and FastAPI's
validation schemas leave the document.

Which errors an operation can give follows from the route itself, so a route added later
gets the right list without naming it:

| status | when |
|---|---|
| 400, 408, 413 | a body: not readable as JSON text or a bad length; too slow; too long |
| 401 | the operation asks for a bearer token, and none valid came |
| 403 | a dependency checks the signed-in user (``allow(...)``, ``access.py``): roles, record |
| 404 | the path has a parameter (the record it names does not exist or is not yours) |
| 409 | a command on the database (stage conflict, or data stored meanwhile) |
| 422 | always: invalid fields, and query parameters the operation does not know |
| 429 | every path but ``/health``: an address over its allowance of refused requests |
| 503 | the operation uses the database, NATS or Temporal, and one is unreachable |

A route may name more error answers (``responses={409: {"description": ...}}``, or in
``openapi_extra``); they get the ``Problem`` schema too, and its description wins over
the generic one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from fastapi.security.base import SecurityBase
from starlette.routing import BaseRoute

from shared.auth import current_actor
from shared.deps import get_runtime
from shared.problems import MEDIA_TYPE

PROBLEM = "#/components/schemas/Problem"
COMMANDS = frozenset({"post", "put", "patch", "delete"})

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "title": "Problem",
        "description": "RFC 9457 problem details: every error answer of a WIR service.",
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "description": "Always about:blank"},
            "title": {"type": "string", "description": "A short summary of the kind of error"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "What went wrong, for a person"},
            "instance": {"type": "string"},
            "request_id": {
                "type": "string",
                "description": "For errors on the server's side: the id it logged them under",
            },
            "errors": {
                "type": "array",
                "description": "Field errors (422): one entry per field that was refused",
                "items": {"$ref": "#/components/schemas/FieldError"},
            },
        },
    },
    "FieldError": {
        "title": "FieldError",
        "type": "object",
        "required": ["loc", "msg", "type"],
        "properties": {
            "loc": {
                "type": "array",
                "description": 'Where: "body", "query", "path" or "header", then the field',
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            },
            "msg": {"type": "string"},
            "type": {"type": "string", "description": "A machine-readable kind of error"},
        },
    },
}

DESCRIPTIONS = {
    400: "A body that cannot be read as JSON text, or a Content-Length that is not a number",
    401: "No valid access token",
    403: "The signed-in user's roles, or their relation to the record, do not allow this",
    404: "The record does not exist, or is not one the signed-in user may see",
    408: "The request body did not arrive in time",
    409: "Not allowed in the record's stage, or in conflict with data stored meanwhile",
    413: "The request body is too long",
    422: "Invalid fields or unknown query parameters; ``errors`` names each",
    429: "Too many requests without a valid access token from this address",
    503: "The database, NATS or the Temporal server cannot be reached; nothing was changed",
}

HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The authentication scheme: Bearer",
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds until a request without a token is taken again",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` answer with the document this module completes."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = FastAPI.openapi(app)
            app.openapi_schema = complete(document, app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def complete(document: dict[str, Any], routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """``document`` with the error answers of every operation of ``routes``."""
    for route in iter_route_contexts(routes):
        # a route as included (with its router's prefix and dependencies)
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        operations = document.get("paths", {}).get(route.path_format, {})
        for method in route.methods or ():
            operation = operations.get(method.lower())
            if operation is not None:
                _describe_errors(operation, route, method.lower())
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update(SCHEMAS)
    return document


def error_statuses(route: RouteContext, method: str, *, secured: bool) -> list[int]:
    """The error statuses ``route`` can answer ``method`` with (see the module's table)."""
    calls = {sub.call for sub in _dependants(route.dependant)}
    statuses = {422}
    if route.body_field is not None or "requestBody" in (route.openapi_extra or {}):
        statuses |= {400, 408, 413}
    if secured:
        statuses.add(401)
    if _checks_the_user(route.dependant):
        statuses.add(403)
    if any(sub.path_params for sub in _dependants(route.dependant)):
        statuses.add(404)
    if get_runtime in calls:
        statuses.add(503)
        if method in COMMANDS:
            statuses.add(409)
    if route.path_format != "/health":
        statuses.add(429)
    return sorted(statuses)


def _describe_errors(operation: dict[str, Any], route: RouteContext, method: str) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    secured = bool(operation.get("security"))
    own = {int(s): r for s, r in route.responses.items() if str(s).isdigit() and int(s) >= 400}
    for status in error_statuses(route, method, secured=secured):
        answer = responses.setdefault(str(status), {"description": DESCRIPTIONS[status]})
        if status not in own:
            answer["content"] = {MEDIA_TYPE: {"schema": {"$ref": PROBLEM}}}
        if status in HEADERS:
            answer.setdefault("headers", HEADERS[status])
    # what the route names itself (``responses=``, ``openapi_extra``): a problem too, unless
    # it says what it sends
    for code, answer in responses.items():
        if str(code).isdigit() and int(code) >= 400 and "content" not in answer:
            answer["content"] = {MEDIA_TYPE: {"schema": {"$ref": PROBLEM}}}


def _checks_the_user(dependant: Dependant) -> bool:
    """Whether a dependency of the route (not the route itself, not ``current_actor``)
    takes the signed-in user or the token: a role or record check, which may answer 403.
    A route that only asks who is signed in (``ActorDep``) answers no 403."""

    def takes_the_user(sub: Dependant) -> bool:
        return any(
            d.call is current_actor or isinstance(d.call, SecurityBase) for d in sub.dependencies
        )

    subs = list(_dependants(dependant))[1:]
    return any(sub.call is not current_actor and takes_the_user(sub) for sub in subs)


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    """``dependant`` and all its sub-dependencies."""
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)
