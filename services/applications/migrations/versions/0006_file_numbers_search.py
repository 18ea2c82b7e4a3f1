"""File numbers (Aktenzeichen) and search: every application gets ``WIR-<year>-<number>``,
numbered per year from the counters of ``file_number_counters``; titles and organisation
names are kept folded for search; the first organisation of a name and type holds the
name's claim.

Existing applications are numbered in the order they were created (then by id), each in
the year of its creation in Hessen, and the counters continue after the last of them.
Among existing organisations of the same folded name and type the earliest holds the claim.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from shared.search import search_key

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

applications = sa.table(
    "applications",
    sa.column("id", sa.String()),
    sa.column("title", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("file_number", sa.String()),
    sa.column("title_key", sa.String()),
)
organisations = sa.table(
    "organisations",
    sa.column("id", sa.String()),
    sa.column("name", sa.String()),
    sa.column("applicant_type", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("name_key", sa.String()),
    sa.column("name_claim", sa.String()),
)
counters = sa.table(
    "file_number_counters",
    sa.column("kind", sa.String()),
    sa.column("year", sa.Integer()),
    sa.column("last", sa.Integer()),
)


# As services/applications/applications/file_numbers.py numbers them (kept here as they
# were when this migration was written).
APPLICATION_KIND = "WIR"
BERLIN = ZoneInfo("Europe/Berlin")


def file_number(kind: str, year: int, number: int) -> str:
    return f"{kind}-{year}-{number:05d}"


def file_year(moment: datetime) -> int:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(BERLIN).year


def _number_applications(bind: sa.Connection) -> None:
    last: dict[int, int] = {}
    rows = bind.execute(
        sa.select(applications.c.id, applications.c.title, applications.c.created_at).order_by(
            applications.c.created_at, applications.c.id
        )
    ).all()
    for application_id, title, created_at in rows:
        year = file_year(created_at)
        last[year] = last.get(year, 0) + 1
        bind.execute(
            applications.update()
            .where(applications.c.id == application_id)
            .values(
                file_number=file_number(APPLICATION_KIND, year, last[year]),
                title_key=search_key(title),
            )
        )
    for year, number in sorted(last.items()):
        bind.execute(counters.insert().values(kind=APPLICATION_KIND, year=year, last=number))


def _claim_names(bind: sa.Connection) -> None:
    claimed: set[tuple[str, str]] = set()
    rows = bind.execute(
        sa.select(
            organisations.c.id, organisations.c.name, organisations.c.applicant_type
        ).order_by(organisations.c.created_at, organisations.c.id)
    ).all()
    for organisation_id, name, applicant_type in rows:
        key = search_key(name)
        first = (applicant_type, key) not in claimed
        claimed.add((applicant_type, key))
        bind.execute(
            organisations.update()
            .where(organisations.c.id == organisation_id)
            .values(name_key=key, name_claim=key if first else None)
        )


def upgrade() -> None:
    op.create_table(
        "file_number_counters",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("file_number", sa.String(32), nullable=True))
        batch.add_column(sa.Column("title_key", sa.String(800), nullable=False, server_default=""))
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("name_key", sa.String(800), nullable=False, server_default=""))
        batch.add_column(sa.Column("name_claim", sa.String(800), nullable=True))
    bind = op.get_bind()
    _number_applications(bind)
    _claim_names(bind)
    with op.batch_alter_table("applications") as batch:
        batch.alter_column("file_number", existing_type=sa.String(32), nullable=False)
    op.create_index("ix_applications_file_number", "applications", ["file_number"], unique=True)
    op.create_index("ix_organisations_name_key", "organisations", ["name_key"])
    op.create_index(
        "uq_organisations_name_claim",
        "organisations",
        ["applicant_type", "name_claim"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_organisations_name_claim", "organisations")
    op.drop_index("ix_organisations_name_key", "organisations")
    op.drop_index("ix_applications_file_number", "applications")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("name_claim")
        batch.drop_column("name_key")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("title_key")
        batch.drop_column("file_number")
    op.drop_table("file_number_counters")
