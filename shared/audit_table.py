"""Each service's append-only audit table and what the audit code uses of a runtime.

The table is created by the service's migrations (``create_audit_table``); the middleware
(shared/audit.py), the tally of refused unauthenticated requests
(shared/audit_unauthenticated.py), the relay (shared/audit_relay.py) and the audit API
(shared/audit_api.py) write and read it through :func:`audit_table`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table
from sqlalchemy.ext.asyncio import AsyncSession

from shared.contracts.envelope import CloudEvent
from shared.db import UtcDateTime

_TABLES: dict[str, Table] = {}


class AuditBus(Protocol):
    """What the relay needs of the event bus (shared.bus.EventBus)."""

    async def publish(self, event: CloudEvent) -> object: ...


class AuditRuntime(Protocol):
    """What the middleware and the relay use of a service's runtime
    (shared.runtime.ServiceRuntime); a test's fake provides just this."""

    @property
    def name(self) -> str: ...

    @property
    def sessions(self) -> Callable[[], AsyncSession]: ...

    @property
    def bus(self) -> AuditBus: ...

    @property
    def audit_wake(self) -> asyncio.Event:
        """Set when a command's row waits to be published."""
        ...


def audit_table(service: str) -> Table:
    """The audit table of ``service``: ``<service>_audit_log`` (services may share one
    PostgreSQL database, each owning its own tables)."""
    table = _TABLES.get(service)
    if table is None:
        table = _TABLES[service] = _define(service)
    return table


def _define(service: str) -> Table:
    return Table(
        f"{service}_audit_log",
        MetaData(),
        Column("id", String(36), primary_key=True),
        Column("at", UtcDateTime(), nullable=False, index=True),
        Column("kind", String(16), nullable=False),  # command | read | unauthenticated
        Column("user", String(128), nullable=False, index=True),
        Column("roles", String(200), nullable=False),
        Column("action", String(100), nullable=False),
        Column("method", String(8), nullable=False),
        Column("route", String(200), nullable=False),
        Column("object_type", String(40), nullable=True),
        Column("object_id", String(100), nullable=True, index=True),
        Column("status", Integer, nullable=False),
        Column("outcome", String(20), nullable=False),
        Column("published", Boolean, nullable=False, default=False),
        # The object that holds the object (a referral's case); see _object_of.
        Column("related_type", String(40), nullable=True),
        Column("related_id", String(100), nullable=True, index=True),
    )
