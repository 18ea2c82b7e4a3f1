"""Migration 0006 numbers the applications that exist, in creation order per year in Hessen,
sets the counters after them, folds titles and names for search, and gives the claim of a
name to the earliest organisation that has it. On SQLite, and on PostgreSQL when
``WIR_TEST_DATABASE_URL`` is set."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.applications.applications.file_numbers import APPLICATION_KIND, next_file_number
from shared.db import create_engine
from shared.migrations import alembic_config
from tests.conftest import _create_postgres_database, _drop_postgres_database

MIGRATIONS = Path("services/applications/migrations")
POSTGRES_URL = os.environ.get("WIR_TEST_DATABASE_URL")
TS = sa.DateTime(timezone=True)

organisations = sa.table(
    "organisations",
    sa.column("id", sa.String()),
    sa.column("name", sa.String()),
    sa.column("applicant_type", sa.String()),
    sa.column("runs_interpreter_pool", sa.Boolean()),
    sa.column("is_non_profit", sa.Boolean()),
    sa.column("created_at", TS),
    sa.column("created_by", sa.String()),
)
applications = sa.table(
    "applications",
    sa.column("id", sa.String()),
    sa.column("organisation_id", sa.String()),
    sa.column("priority_code", sa.String()),
    sa.column("title", sa.String()),
    sa.column("description", sa.String()),
    sa.column("requested_amount", sa.Numeric(14, 2)),
    sa.column("stage", sa.String()),
    sa.column("seq", sa.Integer()),
    sa.column("report_overdue", sa.Boolean()),
    sa.column("ineligible_reasons", sa.JSON()),
    sa.column("created_at", TS),
    sa.column("created_by", sa.String()),
    sa.column("updated_at", TS),
)


def _migrate(connection: Connection, revision: str) -> None:
    config = alembic_config(MIGRATIONS)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A database of its own (the session's shared one is at head already)."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/applications.db")
        yield engine
        await engine.dispose()
        return
    if not POSTGRES_URL:
        pytest.skip("needs WIR_TEST_DATABASE_URL")
    url, name = await _create_postgres_database(POSTGRES_URL)
    engine = create_engine(url)
    try:
        yield engine
    finally:
        await engine.dispose()
        await _drop_postgres_database(POSTGRES_URL, name)


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


async def test_existing_applications_are_numbered_in_creation_order(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_migrate, "0005")
        for org_id, name, at in (
            ("o-1", "Caritas Gießen", _at(2026, 1, 5)),
            ("o-2", "CARITAS  GIESSEN", _at(2026, 2, 5)),  # the same name, created later
            ("o-3", "Diakonie Gießen", _at(2026, 3, 5)),
        ):
            await connection.execute(
                organisations.insert().values(
                    id=org_id,
                    name=name,
                    applicant_type="church_org",
                    runs_interpreter_pool=False,
                    is_non_profit=True,
                    created_at=at,
                    created_by="test",
                )
            )
        # inserted out of order; 23:30 UTC on 31 December is New Year in Hessen
        for app_id, title, at in (
            ("a-4", "Nachtcafé", _at(2027, 2, 1)),
            ("a-2", "Sprachkurs", _at(2026, 6, 1)),
            ("a-3", "Silvesterprojekt", _at(2026, 12, 31, 23, 30)),
            ("a-1", "Frauentreff", _at(2026, 3, 1)),
            ("a-0", "Gleichzeitig", _at(2026, 3, 1)),  # same moment as a-1: by id
        ):
            await connection.execute(
                applications.insert().values(
                    id=app_id,
                    organisation_id="o-1",
                    priority_code="refugee_women",
                    title=title,
                    description="",
                    requested_amount=Decimal("1000"),
                    stage="draft",
                    seq=0,
                    report_overdue=False,
                    ineligible_reasons=[],
                    created_at=at,
                    created_by="test",
                    updated_at=at,
                )
            )
        await connection.run_sync(_migrate, "head")
        numbers: dict[str, str] = dict(
            (await connection.execute(sa.text("SELECT id, file_number FROM applications"))).all()
        )
        keys: dict[str, str] = dict(
            (await connection.execute(sa.text("SELECT id, title_key FROM applications"))).all()
        )
        claims = (
            await connection.execute(
                sa.text("SELECT id, name_key, name_claim FROM organisations ORDER BY id")
            )
        ).all()
        counters = (
            await connection.execute(
                sa.text("SELECT kind, year, last FROM file_number_counters ORDER BY year")
            )
        ).all()
    assert numbers == {
        "a-0": "WIR-2026-00001",
        "a-1": "WIR-2026-00002",
        "a-2": "WIR-2026-00003",
        "a-3": "WIR-2027-00001",
        "a-4": "WIR-2027-00002",
    }
    assert keys["a-4"] == "nachtcafe"
    assert [tuple(c) for c in claims] == [
        ("o-1", "caritas giessen", "caritas giessen"),
        ("o-2", "caritas giessen", None),
        ("o-3", "diakonie giessen", "diakonie giessen"),
    ]
    assert [tuple(c) for c in counters] == [("WIR", 2026, 3), ("WIR", 2027, 2)]

    async with AsyncSession(engine) as session:
        following = await next_file_number(
            session=session, kind=APPLICATION_KIND, at=_at(2027, 5, 1)
        )
        new_year = await next_file_number(
            session=session, kind=APPLICATION_KIND, at=_at(2027, 12, 31, 23, 1)
        )
        await session.rollback()
    assert (following, new_year) == ("WIR-2027-00003", "WIR-2028-00001")
