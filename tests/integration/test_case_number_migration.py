"""Migration 0008 numbers the cases that exist already, in the order they were opened and
per calendar year in Hessen, and the counters continue from there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest_asyncio
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from services.cases.cases.numbers import take_file_number
from shared.db import create_engine, session_factory
from shared.migrations import alembic_config
from tests.conftest import POSTGRES_URL, _create_postgres_database, _drop_postgres_database

MIGRATIONS = Path("services/cases/migrations")

TS = sa.DateTime(timezone=True)
CASES = sa.table(
    "cases",
    *(sa.column(name, sa.String()) for name in ("id", "case_manager", "stage")),
    *(sa.column(name, sa.String()) for name in ("consent_recorded_by", "created_by")),
    sa.column("seq", sa.Integer()),
    sa.column("need_count", sa.Integer()),
    sa.column("consent_purposes", sa.JSON()),
    sa.column("consent_given_at", sa.Date()),
    sa.column("created_at", TS),
    sa.column("updated_at", TS),
    sa.column("erased_at", TS),
)

# opened (UTC) → the number it must get; listed out of order on purpose
OPENED = {
    "c-2027-b": (datetime(2027, 2, 1, 8, 0, tzinfo=UTC), "FM-2027-00002"),
    "c-2026-a": (datetime(2026, 3, 1, 8, 0, tzinfo=UTC), "FM-2026-00001"),
    # 23:30 UTC on New Year's Eve is already 2027 in Hessen
    "c-2027-a": (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "FM-2027-00001"),
    "c-2026-b": (datetime(2026, 12, 31, 22, 30, tzinfo=UTC), "FM-2026-00002"),
}


def _migrate(connection: Connection, revision: str) -> None:
    config = alembic_config(MIGRATIONS)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _insert_cases(connection: Connection) -> None:
    for case_id, (opened, _) in OPENED.items():
        connection.execute(
            CASES.insert().values(
                id=case_id,
                case_manager="cm.old",
                stage="closed",
                seq=3,
                need_count=0,
                consent_purposes=["case_management"],
                consent_given_at=date(2026, 1, 1),
                consent_recorded_by="cm.old",
                created_at=opened,
                created_by="cm.old",
                updated_at=opened,
                # an erased case keeps its number like any other
                erased_at=opened if case_id == "c-2026-a" else None,
            )
        )


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_database(tmp_path: Path) -> AsyncIterator[str]:
    """A database of its own, empty (the shared test database is at head already): SQLite,
    or PostgreSQL when ``WIR_TEST_DATABASE_URL`` names a server."""
    if not POSTGRES_URL:
        yield f"sqlite+aiosqlite:///{tmp_path}/cases.db"
        return
    url, name = await _create_postgres_database(POSTGRES_URL)
    yield url
    await _drop_postgres_database(POSTGRES_URL, name)


async def test_existing_cases_are_numbered_in_the_order_they_were_opened(
    fresh_database: str,
) -> None:
    engine = create_engine(fresh_database)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_migrate, "0007")
            await connection.run_sync(_insert_cases)
            await connection.run_sync(_migrate, "head")
            numbers: dict[str, str] = dict(
                (await connection.execute(sa.text("SELECT id, file_number FROM cases"))).all()
            )
            counters: dict[int, int] = dict(
                (await connection.execute(sa.text("SELECT * FROM case_number_counters"))).all()
            )
        assert numbers == {case_id: number for case_id, (_, number) in OPENED.items()}
        assert counters == {2026: 2, 2027: 2}
        async with session_factory(engine)() as session:
            at = datetime(2027, 6, 1, tzinfo=UTC)
            assert await take_file_number(session=session, at=at) == "FM-2027-00003"
            await session.rollback()
            assert await take_file_number(session=session, at=at) == "FM-2027-00003"
            new_year = datetime(2028, 1, 1, tzinfo=UTC)
            assert await take_file_number(session=session, at=new_year) == "FM-2028-00001"
    finally:
        await engine.dispose()
