"""File numbers (Aktenzeichen) of cases, FM-2026-00117, and their counter per year.

Cases opened before get their numbers in the order they were opened (``created_at``, then
id), counted per calendar year in Hessen; the counters continue from there.

The column stays nullable: SQLite adds a NOT NULL column to a table other tables refer to
only by rebuilding it. Every case opened from now on takes a number at intake.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# as services.cases.cases.numbers has it at this revision
HESSEN = ZoneInfo("Europe/Berlin")


def _year(created_at: datetime | str) -> int:
    if isinstance(created_at, str):  # SQLite hands back text to a lightweight table
        created_at = datetime.fromisoformat(created_at)
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    return created_at.astimezone(HESSEN).year


def upgrade() -> None:
    op.add_column("cases", sa.Column("file_number", sa.String(16), nullable=True))
    op.create_table(
        "case_number_counters",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
    )
    cases = sa.table(
        "cases",
        sa.column("id", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("file_number", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(cases.c.id, cases.c.created_at).order_by(cases.c.created_at, cases.c.id)
    ).all()
    counters: dict[int, int] = {}
    for case_id, created_at in rows:
        year = _year(created_at)
        counters[year] = counters.get(year, 0) + 1
        connection.execute(
            cases.update()
            .where(cases.c.id == case_id)
            .values(file_number=f"FM-{year:04d}-{counters[year]:05d}")
        )
    if counters:
        op.bulk_insert(
            sa.table("case_number_counters", sa.column("year"), sa.column("last_number")),
            [{"year": year, "last_number": last} for year, last in sorted(counters.items())],
        )
    op.create_index("ix_cases_file_number", "cases", ["file_number"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_cases_file_number", table_name="cases")
    op.drop_table("case_number_counters")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("file_number")
