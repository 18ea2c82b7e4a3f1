"""Requests refused for want of a valid token (401, and the 429 of shared/limits.py), in
the audit log without a row each.

Anyone can send such requests, so a row per request would fill the log without bound. The
audit middleware (shared/audit.py) counts them here per client address, status and minute;
a background task writes one ``unauthenticated`` row per count into the service's audit
table once its minute is over (and everything counted when the service stops). These rows
are not announced on NATS.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from shared.audit_table import AuditRuntime, audit_table

log = logging.getLogger(__name__)


class UnauthenticatedTally:
    """Refused unauthenticated requests counted per (minute, client address, status). At
    most ``max_sources`` counts per minute; further addresses are counted as ``other``."""

    def __init__(
        self,
        *,
        max_sources: int = 1_000,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.max_sources = max_sources
        self.clock = clock
        self._counts: dict[tuple[dt.datetime, str, int], int] = {}
        self._sources: dict[dt.datetime, int] = {}

    def _minute(self) -> dt.datetime:
        return self.clock().replace(second=0, microsecond=0)

    def count(self, source: str, status: int) -> None:
        minute = self._minute()
        key = (minute, source, status)
        if key not in self._counts:
            if self._sources.get(minute, 0) >= self.max_sources:
                key = (minute, "other", status)
            else:
                self._sources[minute] = self._sources.get(minute, 0) + 1
        self._counts[key] = self._counts.get(key, 0) + 1

    def has_closed_minutes(self) -> bool:
        current = self._minute()
        return any(minute < current for minute in self._sources)

    def take(self, *, everything: bool = False) -> list[dict[str, Any]]:
        """The audit rows of the minutes that are over (``everything``: also this one),
        taken out of the tally."""
        current = self._minute()
        done = [key for key in self._counts if everything or key[0] < current]
        rows = [_unauthenticated_row(key, self._counts.pop(key)) for key in done]
        for minute in {key[0] for key in done}:
            self._sources.pop(minute, None)
        return rows

    def give_back(self, rows: Sequence[dict[str, Any]]) -> None:
        """Put rows :meth:`take` returned back into the tally (their write failed), so the
        next write stores them: counts are not lost to a database that was away."""
        for row in rows:
            key = (row["at"], row["object_id"], row["status"])
            self._counts[key] = self._counts.get(key, 0) + row["count"]
            self._sources[row["at"]] = self._sources.get(row["at"], 0) + 1


def _unauthenticated_row(key: tuple[dt.datetime, str, int], count: int) -> dict[str, Any]:
    minute, source, status = key
    return {
        "id": str(uuid.uuid4()),
        "at": minute,
        "kind": "unauthenticated",
        "user": "anonymous",
        "roles": "",
        "action": "unauthenticated_requests",
        "method": "*",
        "route": f"{count} requests",  # how many in this minute, from this address
        "count": count,  # for give_back only; not a column
        "object_type": "client",
        "object_id": source[:100],
        "related_type": None,
        "related_id": None,
        "status": status,
        "outcome": "unauthenticated",
        "published": True,  # counts are not announced on NATS
    }


async def write_unauthenticated_rows(
    runtime: AuditRuntime, tally: UnauthenticatedTally, *, everything: bool = False
) -> int:
    """Store the counts of the minutes that are over (``everything``: all)."""
    rows = tally.take(everything=everything)
    if rows:
        stored = [{k: v for k, v in row.items() if k != "count"} for row in rows]
        try:
            async with runtime.sessions() as session, session.begin():
                await session.execute(audit_table(runtime.name).insert(), stored)
        except BaseException:
            tally.give_back(rows)
            raise
    return len(rows)


async def record_unauthenticated_counts(
    runtime: AuditRuntime, tally: UnauthenticatedTally, stop: asyncio.Event
) -> None:
    """Background task: write the counts shortly after each minute ends, and what is
    counted when the service stops."""
    while not stop.is_set():
        now = dt.datetime.now(dt.UTC)
        wait = 61 - now.second - now.microsecond / 1e6
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=wait)
        try:
            await write_unauthenticated_rows(runtime, tally, everything=stop.is_set())
        except Exception:
            log.exception("counts of unauthenticated requests could not be written; retrying")
