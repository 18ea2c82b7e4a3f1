"""Every router of the coordination service, in the order the OpenAPI document lists them.

One line per domain package, so each package's router is added without touching app.py.
"""

from __future__ import annotations

from fastapi import APIRouter

from services.coordination.actors import routes as actors
from services.coordination.fachtage import routes as fachtage
from services.coordination.groups import items, meetings
from services.coordination.groups import routes as groups
from services.coordination.measures import routes as measures
from services.coordination.report import routes as report

ROUTERS: list[APIRouter] = [
    actors.router,
    groups.router,
    meetings.router,
    items.router,
    fachtage.router,
    measures.router,
    report.router,
]
