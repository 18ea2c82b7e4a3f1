"""The audit log: every command and every read of a refugee's personal data, attributable.

Each service keeps its own append-only ``audit_log`` table (created by its migrations with
:func:`create_audit_table`; on PostgreSQL a trigger refuses updates and deletes except the
one flag the event relay sets). :class:`AuditMiddleware` writes a row after each command
(POST, PUT, PATCH, DELETE) and after each request a route marked :data:`PersonalDataRead`
answered. Every command also becomes a ``wir.audit.command`` event without personal data:
written first to the table, then published by ``shared.audit_relay`` (woken by each new
row, and every few seconds for what NATS could not take), so a NATS outage delays the event
but loses none.

Requests refused for want of a valid token (401, and the 429 of shared/limits.py) get no
row each: anyone can send them, so they would fill the log without bound. The middleware
hands them to the tally of ``shared/audit_unauthenticated.py``, which writes one
``unauthenticated`` row per client address, status and minute into the same table.

The table and what the audit code needs of a runtime are in ``shared/audit_table.py``; the
relay that publishes the rows is ``shared/audit_relay.py``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import uuid
from typing import Any

from fastapi import Depends, Request
from sqlalchemy import Table
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response
from starlette.routing import Match

from shared.audit_table import AuditRuntime, audit_table
from shared.audit_unauthenticated import UnauthenticatedTally, write_unauthenticated_rows
from shared.limits import client_key
from shared.metrics import count_command

log = logging.getLogger(__name__)

COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def outcome_of(status: int) -> str:
    if status == 401:
        return "unauthenticated"
    if status == 403:
        return "denied"
    if status < 400:
        return "ok"
    if status < 500:
        return "rejected"
    return "failed"


async def _mark_personal_data_read(request: Request) -> None:
    request.state.audit_read = True


#: Add to a route's ``dependencies`` when its answer carries a refugee's personal data.
PersonalDataRead = Depends(_mark_personal_data_read)


def _related_of(params: dict[str, Any]) -> tuple[str | None, str | None]:
    """The outermost object of a nested route: ``/cases/{case_id}/referrals/{referral_id}``
    → (``case``, its id), so the case's audit trail holds what happened to its referrals;
    (None, None) where the route names one object or none."""
    ids = [name for name in params if name.endswith("_id")]
    if len(ids) < 2:
        return None, None
    return ids[0].removesuffix("_id"), str(params[ids[0]])[:100]


def _object_of(route_path: str, params: dict[str, Any]) -> tuple[str | None, str | None]:
    """``/cases/{case_id}/referrals/{referral_id}/answer`` → (``referral``, its id);
    ``/recipients/{kind}/{addressee}`` → (``recipient``, ``organisation/<id>``)."""
    ids = [name for name in params if name.endswith("_id")]
    if ids:
        name = ids[-1]
        return name.removesuffix("_id"), str(params[name])[:100]
    first = route_path.strip("/").split("/", 1)[0]
    kind = first[:-3] + "y" if first.endswith("ies") else first.removesuffix("s")
    if params:
        return kind, "/".join(str(value) for value in params.values())[:100]
    return (kind or None), None


class AuditMiddleware(BaseHTTPMiddleware):
    """Writes the audit row of a command or personal-data read after it was answered."""

    def __init__(
        self, app: Any, *, service: str, tally: UnauthenticatedTally | None = None
    ) -> None:
        super().__init__(app)
        self.service = service
        self.tally = tally if tally is not None else UnauthenticatedTally()
        self._writer = _GroupWriter(audit_table(service))

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        try:
            response = await call_next(request)
        except Exception:
            # An unforeseen error: the outer handler answers 500; the attempt is recorded.
            await self._audit(request, 500)
            raise
        if request.method == "POST" and response.status_code == 201 and not request.path_params:
            # a top-level creation (POST /cases): the object is the one it made
            response = await _note_created(request, response)
        await self._audit(request, response.status_code)
        return response

    async def _audit(self, request: Request, status: int) -> None:
        if status == 401:
            self.tally.count(client_key(request.scope), status)
        if self.tally.has_closed_minutes():
            try:
                await write_unauthenticated_rows(request.app.state.runtime, self.tally)
            except Exception:
                log.exception("counts of unauthenticated requests could not be written")
        if status == 401:
            return
        is_command = request.method in COMMAND_METHODS
        is_read = bool(getattr(request.state, "audit_read", False))
        if not (is_command or is_read):
            return
        route = _matched_route(request)
        if route is None:
            return  # 404/405 on no route at all: nothing to attribute
        if is_command:
            count_command(service=self.service, command=route.name, outcome=outcome_of(status))
        try:
            await self._record(request, status, route, "command" if is_command else "read")
        except Exception:
            # The answer is already decided; losing its audit row must be loud.
            log.exception("audit row could not be written for %s %s", request.method, route.path)

    async def _record(self, request: Request, status: int, route: Any, kind: str) -> None:
        actor = getattr(request.state, "actor", None)
        object_type, object_id = _object_of(route.path, dict(request.path_params))
        related_type, related_id = _related_of(dict(request.path_params))
        created = getattr(request.state, "audit_created", None)
        if created is not None:
            object_type, object_id = created[0] or object_type, created[1]
        row = {
            "id": str(uuid.uuid4()),
            "at": dt.datetime.now(dt.UTC),
            "kind": kind,
            "user": actor.user if actor else "anonymous",
            "roles": actor.role_names if actor else "",
            "action": route.name,
            "method": request.method,
            "route": route.path,
            "object_type": object_type,
            "object_id": object_id,
            "related_type": related_type,
            "related_id": related_id,
            "status": status,
            "outcome": outcome_of(status),
            # Reads are not announced on NATS; only commands are.
            "published": kind != "command",
        }
        runtime: AuditRuntime = request.app.state.runtime
        await self._writer.write(runtime, row)
        if kind == "command":
            # The row is stored: the relay publishes its event right away, off the answer's
            # path (a NATS round trip and a commit less per command, one commit per batch).
            runtime.audit_wake.set()


class _GroupWriter:
    """Stores audit rows with one transaction per group: a row that arrives while another
    group commits waits for the next, which takes every row waiting by then. Each request
    still returns only after its own row is committed. Concurrent requests therefore never
    compete for the database's write lock with each other's audit rows (on SQLite a writer
    that finds the lock taken sleeps in steps of up to 100 ms), and there are fewer commits."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._pending: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._lock = asyncio.Lock()  # binds to the serving loop on first use

    async def write(self, runtime: AuditRuntime, row: dict[str, Any]) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((row, done))
        async with self._lock:
            if not done.done():  # no earlier group took this row: commit all that wait
                group, self._pending = self._pending, []
                try:
                    async with runtime.sessions() as session, session.begin():
                        await session.execute(self._table.insert(), [r for r, _ in group])
                except Exception as exc:
                    for _, waiter in group:
                        if not waiter.done():
                            waiter.set_exception(exc)
                else:
                    for _, waiter in group:
                        if not waiter.done():
                            waiter.set_result(None)
        await done


#: Largest answer of a creation read for the created object's id.
_CREATED_BODY_LIMIT = 64 * 1024


def mark_created(request: Request, object_type: str, object_id: str) -> None:
    """Name the object a creation made, where its answer alone does not tell (e.g. an
    intake without consent makes a counselling contact, not a case)."""
    request.state.audit_created = (object_type, object_id[:100])


async def _note_created(request: Request, response: Response) -> Response:
    """Take the created object's ``id`` from a ``201`` answer's JSON body (unless the route
    named it), handing the same body on to the client."""
    if getattr(request.state, "audit_created", None) is not None:
        return response
    if not response.headers.get("content-type", "").startswith("application/json"):
        return response
    length = response.headers.get("content-length")
    if length is None or int(length) > _CREATED_BODY_LIMIT:
        return response
    iterator = getattr(response, "body_iterator", None)
    if iterator is None:
        return response
    chunks = [chunk async for chunk in iterator]

    async def replay() -> Any:
        for chunk in chunks:
            yield chunk

    response.body_iterator = replay()  # type: ignore[attr-defined]
    try:
        created = json.loads(b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks))
    except ValueError:
        return response
    if isinstance(created, dict) and isinstance(created.get("id"), str | int):
        request.state.audit_created = (None, str(created["id"])[:100])
    return response


def _matched_route(request: Request) -> Any:
    route = request.scope.get("route")
    if route is not None:
        return route
    for candidate in request.app.router.routes:
        match, _ = candidate.matches(request.scope)
        if match == Match.FULL:
            return candidate
    return None
