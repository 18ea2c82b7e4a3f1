"""Migration 0004 sets priority 5's non-profit flag on a catalogue that exists already: in
the priority's rule and in a round's own rule for it, and leaves other priorities alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection

from shared.db import create_engine
from shared.migrations import alembic_config

MIGRATIONS = Path("services/applications/migrations")


def _migrate(connection: Connection, revision: str) -> None:
    config = alembic_config(MIGRATIONS)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _rules(connection: Connection) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    def rule(sql: str) -> dict[str, Any]:
        value = connection.execute(sa.text(sql)).scalar_one()
        loaded: dict[str, Any] = json.loads(value) if isinstance(value, str) else value
        return loaded

    return (
        rule("SELECT rule FROM funding_priorities WHERE code = 'migrant_organisations'"),
        rule("SELECT rule FROM round_priorities WHERE round_id = 'r-old'"),
        rule("SELECT rule FROM funding_priorities WHERE code = 'coordination'"),
    )


async def test_existing_catalogue_gets_the_non_profit_flag(tmp_path: Path) -> None:
    # a database of its own at revision 0003 (the shared test database is at head)
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/applications.db")
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_migrate, "0003")
            await connection.execute(
                sa.text(
                    "UPDATE funding_priorities SET rule = :rule"
                    " WHERE code = 'migrant_organisations'"
                ),
                {"rule": '{"applicant_types": ["migrant_org"], "partner_required_for": []}'},
            )
            await connection.execute(
                sa.text(
                    "INSERT INTO funding_rounds (id, title, status, submission_opens_at,"
                    " submission_closes_at, period_earliest_start, period_latest_end, deadlines,"
                    " funds_use_months, created_at, created_by) VALUES ('r-old', 'Alt', 'open',"
                    " '2026-01-01 00:00:00', '2026-02-01 00:00:00', '2026-01-01', '2028-12-31',"
                    " '{}', 24, '2026-01-01 00:00:00', 'test')"
                )
            )
            await connection.execute(
                sa.text(
                    "INSERT INTO round_priorities (round_id, priority_code, budget, committed,"
                    " paid, rule) VALUES ('r-old', 'migrant_organisations', 1000, 0, 0, :rule)"
                ),
                {"rule": '{"applicant_types": ["migrant_org", "district"]}'},
            )
            await connection.run_sync(_migrate, "head")
            priority, override, other = await connection.run_sync(_rules)
    finally:
        await engine.dispose()
    assert priority["non_profit_required_for"] == ["migrant_org"]
    assert override == {
        "applicant_types": ["migrant_org", "district"],
        "non_profit_required_for": ["migrant_org"],
    }
    assert "non_profit_required_for" not in other or other["non_profit_required_for"] == []
