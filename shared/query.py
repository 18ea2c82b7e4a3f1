"""Query parameters an operation does not declare are refused (422), not ignored.

A misspelt filter (``?stgae=approved``) that were ignored would answer with the whole list,
and the client would take it for the filtered one. :func:`known_query_only` is an
app-wide dependency (``FastAPI(dependencies=[...])``): it compares the request's query
parameters with those the matched route declares, its dependencies' included (such as
``limit`` and ``offset`` of shared/pagination.py), so a route that declares a new
parameter needs nothing else.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from shared.problems import ProblemError


async def known_query_only(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    known = declared_query_names(route)
    unknown = sorted({name for name in request.query_params if name not in known})
    if unknown:
        raise ProblemError(
            422,
            "Invalid request",
            f"Unknown query parameters: {', '.join(unknown)}.",
            errors=[
                {"loc": ["query", name], "msg": "Unknown parameter", "type": "extra_forbidden"}
                for name in unknown
            ],
        )


def declared_query_names(route: APIRoute) -> frozenset[str]:
    return frozenset(_query_names(route.dependant))


def _query_names(dependant: Dependant) -> set[str]:
    names: set[str] = set()
    for field in dependant.query_params:
        annotation = field.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            # a query parameter model: its fields are the parameters
            names |= {f.alias or name for name, f in annotation.model_fields.items()}
        else:
            names.add(field.alias)
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names
