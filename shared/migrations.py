"""Alembic glue: each service keeps its own migrations and its own version table.

Services apply their migrations on start (:func:`upgrade`); a service's ``env.py`` calls
:func:`run_env`, which also works from the ``alembic`` command line.

Several replicas of a service may start at once against one PostgreSQL database: each
upgrade first takes a transaction-level advisory lock of its own service, so one replica
migrates while the others wait, then find the schema at head and change nothing. SQLite
needs no lock: its database file has one writer at a time already.
"""

from __future__ import annotations

import asyncio
import zlib
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db import create_engine


def alembic_config(script_location: Path, *, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migration_lock_key(script_location: Path) -> int:
    """The advisory lock of one service's migrations (a signed 64-bit number, as
    PostgreSQL wants it), taken from the service's folder name: two services migrate
    side by side, two replicas of one service one after the other."""
    name = f"wir-migrations:{script_location.resolve().parent.name}"
    return zlib.crc32(name.encode()) - 2**31


async def upgrade(engine: AsyncEngine, script_location: Path) -> None:
    """Bring the service's tables to the newest revision, once however many replicas of
    the service start together (see the module's docstring)."""
    config = alembic_config(script_location)

    def _run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends: PostgreSQL's DDL is transactional, so the
            # next replica sees the whole upgrade committed, or none of it.
            key = migration_lock_key(script_location)
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        await connection.run_sync(_run)


def run_env(metadata: MetaData, *, version_table: str) -> None:
    """Body of a service's ``env.py``."""

    def _migrate(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=version_table,
            render_as_batch=True,  # SQLite needs batch mode to alter tables
        )
        with context.begin_transaction():
            context.run_migrations()

    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return

    async def _standalone() -> None:
        engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
        async with engine.begin() as conn:
            await conn.run_sync(_migrate)
        await engine.dispose()

    asyncio.run(_standalone())
