"""Reading the audit log (admins only) and creating its table in a service's migrations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query
from pydantic import AfterValidator, BaseModel
from sqlalchemy import func, or_, select

from shared.audit_table import audit_table
from shared.auth import Actor, Role, allow
from shared.deps import SessionDep
from shared.pagination import PageDep

AdminDep = Annotated[Actor, Depends(allow(Role.admin))]


def _in_utc(value: dt.datetime) -> dt.datetime:
    """The moment in UTC (a naive one counts as UTC). ``0001-01-01T00:00:00+23:59`` is a
    valid ISO 8601 time that lies before year 1 in UTC: refused (422), not a 500."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("the time lies outside years 1-9999 in UTC") from None


Moment = Annotated[dt.datetime, AfterValidator(_in_utc)]


class AuditEntry(BaseModel):
    id: str
    at: dt.datetime
    kind: str
    user: str
    roles: list[str]
    action: str
    method: str
    route: str
    object_type: str | None
    object_id: str | None
    related_type: str | None = None
    related_id: str | None = None
    status: int
    outcome: str


class AuditPage(BaseModel):
    items: list[AuditEntry]
    total: int
    limit: int
    offset: int


def audit_router(service: str) -> APIRouter:
    router = APIRouter(tags=["audit"])
    audit_log = audit_table(service)

    @router.get("/audit", summary="The audit log of this service (admins)")
    async def list_audit(
        session: SessionDep,
        page: PageDep,
        _: AdminDep,
        user: Annotated[str | None, Query(max_length=128)] = None,
        action: Annotated[str | None, Query(max_length=100)] = None,
        object_id: Annotated[
            str | None,
            Query(
                max_length=100,
                description="The object's rows, and those of the objects it holds (a case: "
                "also its referrals' answers and completions)",
            ),
        ] = None,
        kind: Literal["command", "read", "unauthenticated"] | None = None,
        outcome: Literal["ok", "rejected", "denied", "unauthenticated", "failed"] | None = None,
        since: Moment | None = None,
        until: Moment | None = None,
    ) -> AuditPage:
        query = select(audit_log)
        filters: list[Any] = []
        if object_id is not None:
            filters.append(
                or_(audit_log.c.object_id == object_id, audit_log.c.related_id == object_id)
            )
        for column, value in (
            (audit_log.c.user, user),
            (audit_log.c.action, action),
            (audit_log.c.kind, kind),
            (audit_log.c.outcome, outcome),
        ):
            if value is not None:
                filters.append(column == value)
        if since is not None:
            filters.append(audit_log.c.at >= since)
        if until is not None:
            filters.append(audit_log.c.at < until)
        query = query.where(*filters)
        total = await session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await session.execute(
            query.order_by(audit_log.c.at.desc(), audit_log.c.id)
            .limit(page.limit)
            .offset(page.offset)
        )
        items = [
            AuditEntry(
                **{k: v for k, v in row._mapping.items() if k not in ("roles", "published")},
                roles=[r for r in row.roles.split(",") if r],
            )
            for row in rows
        ]
        return AuditPage(items=items, total=int(total or 0), limit=page.limit, offset=page.offset)

    return router


_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
    RAISE EXCEPTION '{table} is append-only';
  END IF;
  IF (NEW.id, NEW.at, NEW.kind, NEW."user", NEW.roles, NEW.action, NEW.method, NEW.route,
      NEW.object_type, NEW.object_id, NEW.status, NEW.outcome, NEW.related_type,
      NEW.related_id)
     IS DISTINCT FROM
     (OLD.id, OLD.at, OLD.kind, OLD."user", OLD.roles, OLD.action, OLD.method, OLD.route,
      OLD.object_type, OLD.object_id, OLD.status, OLD.outcome, OLD.related_type,
      OLD.related_id) THEN
    RAISE EXCEPTION '{table} is append-only';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql
"""

_APPEND_ONLY_TRIGGER = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""

_NO_TRUNCATE = """
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
  FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();
"""

_APPEND_ONLY_SQLITE = [
    """CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
    """CREATE TRIGGER {table}_no_update BEFORE UPDATE OF id, at, kind, user, roles, action,
       method, route, object_type, object_id, status, outcome, related_type, related_id
       ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
]


def create_audit_table(op: Any, service: str) -> None:
    """For a service's Alembic migration: the table, its indexes and the append-only guard."""
    bind = op.get_bind()
    table = audit_table(service)
    table.create(bind)
    if bind.dialect.name == "postgresql":
        # asyncpg takes one statement per call
        op.execute(_APPEND_ONLY.replace("{table}", table.name))
        op.execute(_APPEND_ONLY_TRIGGER.replace("{table}", table.name))
        op.execute(_NO_TRUNCATE.replace("{table}", table.name))
    elif bind.dialect.name == "sqlite":
        for statement in _APPEND_ONLY_SQLITE:
            op.execute(statement.replace("{table}", table.name))


def drop_audit_table(op: Any, service: str) -> None:
    bind = op.get_bind()
    table = audit_table(service)
    if bind.dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table.name}_append_only ON {table.name}")
        op.execute(f"DROP FUNCTION IF EXISTS {table.name}_append_only()")
    table.drop(bind)


def add_related_columns(op: Any, service: str) -> None:
    """For a service's Alembic migration: the columns ``related_type`` / ``related_id``
    on an audit table made before them, and the append-only guard over them too. A table
    that :func:`create_audit_table` made already has both; then only the guard is set
    again (the same statements)."""
    bind = op.get_bind()
    table = audit_table(service)
    columns = {c["name"] for c in sa.inspect(bind).get_columns(table.name)}
    if bind.dialect.name == "sqlite":  # its update guard names the columns: drop it first
        op.execute(f"DROP TRIGGER IF EXISTS {table.name}_no_update")
    if "related_id" not in columns:
        # plain ADD COLUMN (SQLite has it): a batch copy of the table would lose its guards
        op.add_column(table.name, sa.Column("related_type", sa.String(40), nullable=True))
        op.add_column(table.name, sa.Column("related_id", sa.String(100), nullable=True))
        op.create_index(f"ix_{table.name}_related_id", table.name, ["related_id"])
    if bind.dialect.name == "postgresql":
        op.execute(_APPEND_ONLY.replace("{table}", table.name))
    elif bind.dialect.name == "sqlite":
        op.execute(_APPEND_ONLY_SQLITE[1].replace("{table}", table.name))
