"""The case file's specialist days (read only): the coordination office's days open for
registration, and the recently called-off days this case was registered for, each with
this case's registration (``mine``). Only the case id goes to the coordination service,
never a name: the API shows a case manager their own registrations alone."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from services.web.api import ApiError
from services.web.deps import View

SERVICE = "coordination"
#: a day called off is news on the case file while its date is at most this far past
CALLED_OFF_SHOWN = timedelta(days=30)
#: how many of the newest called-off days are looked at
CALLED_OFF_LIMIT = 20


def recent(days: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The days whose date is not more than :data:`CALLED_OFF_SHOWN` past."""
    since = now - CALLED_OFF_SHOWN
    return [d for d in days if datetime.fromisoformat(d["starts_at"]) >= since]


def registration_of(day: dict[str, Any], case_id: str) -> dict[str, Any] | None:
    """This case's registration on ``day``: on an open day the one that stands, on a day
    called off the last one (all are cancelled with the day)."""
    mine = [p for p in day["participants"] if p.get("case_id") == case_id]
    if day["stage"] != "cancelled":
        mine = [p for p in mine if p["status"] != "cancelled"]
    return mine[-1] if mine else None


async def specialist_days(view: View, case_id: str) -> list[dict[str, Any]] | None:
    """The days open for registration, then those called off this case was registered
    for (``stage`` tells them apart), each with ``mine``; None where the coordination
    service does not answer (the case file shows without them)."""
    try:
        listed, called_off = await asyncio.gather(
            view.api.get(SERVICE, "/fachtage", {"limit": 50, "stage": "registration_open"}),
            view.api.get(SERVICE, "/fachtage", {"limit": CALLED_OFF_LIMIT, "stage": "cancelled"}),
        )
        wanted = listed["items"] + recent(called_off["items"], datetime.now(UTC))
        details = await asyncio.gather(
            *(view.api.get(SERVICE, f"/fachtage/{d['id']}") for d in wanted)
        )
    except (ApiError, httpx.TransportError):
        return None
    days = [{**day, "mine": registration_of(day, case_id)} for day in details]
    return [d for d in days if d["stage"] != "cancelled" or d["mine"] is not None]
