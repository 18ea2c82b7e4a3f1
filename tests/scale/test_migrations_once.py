"""Replicas that start together on one fresh PostgreSQL database migrate it once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import inspect, text

from shared.db import create_engine
from shared.migrations import upgrade
from tests.scale.postgres import fresh_database, server_url

SERVICES = Path(__file__).resolve().parents[2] / "services"
REPLICAS = 4


async def test_concurrent_upgrades_leave_one_schema() -> None:
    async with fresh_database(server_url()) as url:
        engines = [create_engine(url) for _ in range(REPLICAS)]
        try:
            for service in ("applications", "cases"):
                migrations = SERVICES / service / "migrations"
                # every replica of the service at once, each on its own connection (without
                # the lock they deadlock or collide on the tables they create)
                upgrades = asyncio.gather(*(upgrade(e, migrations) for e in engines))
                await asyncio.wait_for(upgrades, timeout=30)
            async with engines[0].connect() as connection:
                tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
                versions = {
                    table: (await connection.execute(text(f'SELECT * FROM "{table}"'))).all()
                    for table in tables
                    if "version" in table
                }
        finally:
            for engine in engines:
                await engine.dispose()
    assert len(versions) == 2, versions  # one version table per service
    for table, rows in versions.items():
        assert len(rows) == 1, f"{table}: {rows}"  # one head, recorded once
    assert "applications" in tables and "cases" in tables
