"""The audit relay: publishes each stored command row as a ``wir.audit.command`` event.

Woken by the middleware the moment a row is stored (``runtime.audit_wake``) and every few
seconds for what NATS could not take; the event id is the row's id, so a row published twice
(a crash between publish and flag) is stored once on the stream.

Several replicas of a service each run a relay over the same table. On PostgreSQL a relay
claims its batch with ``FOR UPDATE SKIP LOCKED`` and holds the claim until it has flagged
what it published, so the relays split the rows instead of publishing each twice; the
stream's de-duplication on the event id (``Nats-Msg-Id``, the duplicate window) remains the
guard for a relay that dies between publishing and flagging. SQLite has one writer anyway.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update

from shared.audit_table import AuditRuntime, audit_table
from shared.contracts.envelope import build_event
from shared.contracts.events.audit import AuditCommandRecorded

log = logging.getLogger("shared.audit")


def _event_of(service: str, row: Any) -> AuditCommandRecorded:
    return AuditCommandRecorded(
        seq=1,
        stage="recorded",
        actor=row.user,
        audit_id=row.id,
        service=service,
        roles=[r for r in row.roles.split(",") if r],
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        related_type=row.related_type,
        related_id=row.related_id,
        status=row.status,
        outcome=row.outcome,
        at=row.at,
    )


async def publish_pending(runtime: AuditRuntime, *, limit: int = 200) -> int:
    """Publish the audit events not yet on the stream that no other relay has claimed; the
    event id is the row's id, so a row published twice (crash between publish and flag) is
    stored once."""
    audit_log = audit_table(runtime.name)
    async with runtime.sessions() as session, session.begin():
        rows = (
            await session.execute(
                select(audit_log)
                .where(audit_log.c.published.is_(False))
                .order_by(audit_log.c.at)
                .limit(limit)
                # rows another replica's relay holds are skipped, not waited for
                .with_for_update(skip_locked=True)
            )
        ).all()
        done = await _publish(runtime, rows)
        if done:
            # flagged before the claim ends: the next relay to look finds them published
            await session.execute(
                update(audit_log).where(audit_log.c.id.in_(done)).values(published=True)
            )
    return len(done)


async def _publish(runtime: AuditRuntime, rows: Sequence[Any]) -> list[str]:
    """Publish ``rows`` in order until NATS refuses one; the ids of those published."""
    done: list[str] = []
    for row in rows:
        event = build_event(event_id=row.id, data=_event_of(runtime.name, row), time=row.at)
        try:
            await asyncio.wait_for(runtime.bus.publish(event), timeout=2)
        except Exception as exc:  # NATS away: the relay tries again later
            log.warning("audit event %s not published yet: %s", row.id, exc)
            break
        done.append(row.id)
    return done


async def relay_audit_events(
    runtime: AuditRuntime, stop: asyncio.Event, *, every: float = 5.0, limit: int = 200
) -> None:
    """Background task: publish the audit events of stored rows — at once when the
    middleware signals a new row (``runtime.audit_wake``), and every ``every`` seconds for
    whatever NATS could not take before."""
    wake = runtime.audit_wake
    while not stop.is_set():
        wake.clear()
        try:
            while await publish_pending(runtime, limit=limit) == limit:
                pass  # a full batch: more may wait
        except Exception:
            log.exception("audit relay failed; retrying")
        waits = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
        try:
            await asyncio.wait(waits, timeout=every, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waits:
                waiter.cancel()
