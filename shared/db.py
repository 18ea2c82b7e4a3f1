"""Async SQLAlchemy engine and sessions: SQLite (aiosqlite) by default, PostgreSQL (asyncpg).

The SQLite files hold refugees' personal data and webhook secrets: a folder this module
creates for them is 0700, each database file 0600 before SQLite first opens it. SQLite
gives its ``-wal``, ``-shm`` and ``-journal`` files the database file's mode; files left by
an older version with wider modes are narrowed on every connect. Deleted rows are
overwritten (``secure_delete``), and :func:`checkpoint` moves the write-ahead log into the
database and truncates it, so an erasure leaves no old values in the ``-wal`` file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, event, text
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)


class UtcDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back time-zone aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; WIR stores time-zone aware timestamps")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    # hide_parameters: an error's text never carries the bound values (personal data) into
    # a log line or a traceback.
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)
    path = Path(parsed.database) if parsed.database and parsed.database != ":memory:" else None
    if path is not None:
        private_folder(path.parent)
        private_file(path)
    engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the API read while the event consumer writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted content is overwritten with zeros, not left in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
        if path is not None:
            for companion in sqlite_files(path):
                narrow_mode(companion)

    return engine


def sqlite_files(path: Path) -> list[Path]:
    """The database file and the companions SQLite keeps beside it."""
    return [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def private_folder(folder: Path) -> None:
    """Create ``folder`` and each missing parent with mode 0700 (folders that exist keep
    theirs: a database may live in a shared folder such as /var/lib)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists; narrow it if it does."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        narrow_mode(path)


def narrow_mode(path: Path) -> None:
    """Take group's and others' permissions away from ``path`` (if it exists and is ours)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700)


def checkpoint_after_commit(session: AsyncSession) -> None:
    """Once ``session`` commits, on SQLite: copy the write-ahead log into the database and
    truncate it to zero bytes (after an erasure, so erased values do not stay in ``-wal``).
    Runs inside the commit's own greenlet, where the engine may be used synchronously. A
    reader's open snapshot can keep part of the log (it goes at the next checkpoint)."""
    event.listen(session.sync_session, "after_commit", _checkpoint, once=True)


def _checkpoint(session: Session) -> None:
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.connect() as connection:
        busy = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first()
    if busy is not None and busy[0]:
        log.warning("SQLite checkpoint after an erasure was partial (a reader was busy)")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
