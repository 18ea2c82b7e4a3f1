"""Every router of the coordination service, in the order the OpenAPI document lists them.

One line per domain package, so each package's router is added without touching app.py.
"""

from __future__ import annotations

from fastapi import APIRouter

from services.coordination.fachtage import routes as fachtage
from services.coordination.measures import routes as measures

ROUTERS: list[APIRouter] = [
    fachtage.router,
    measures.router,
]
