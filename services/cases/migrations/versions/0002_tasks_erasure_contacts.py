"""Tasks per case manager, anonymous counselling contacts, duplicate keys, erasure.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _name_key(given_name: str, family_name: str) -> str:
    # a copy of services.cases.duplicates.name_key as of this revision
    text = unicodedata.normalize("NFKD", f"{given_name} {family_name}")
    letters = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
    return " ".join(sorted(letters.casefold().split()))[:200]


def upgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("name_key", sa.String(200), nullable=True))
        batch.create_index("ix_persons_name_key", ["name_key"])
    persons = sa.table(
        "persons",
        sa.column("id", sa.String),
        sa.column("given_name", sa.String),
        sa.column("family_name", sa.String),
        sa.column("name_key", sa.String),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(persons)).all():
        connection.execute(
            persons.update()
            .where(persons.c.id == row.id)
            .values(name_key=_name_key(row.given_name, row.family_name))
        )
    with op.batch_alter_table("cases") as batch:
        batch.alter_column("person_id", existing_type=sa.String(36), nullable=True)
        batch.add_column(sa.Column("erased_at", TS, nullable=True))
    with op.batch_alter_table("case_placements") as batch:
        batch.alter_column("employer_or_provider", existing_type=sa.String(200), nullable=True)
    op.create_table(
        "case_tasks",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("case_manager", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("referral_id", sa.String(36), nullable=True),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("done_at", TS, nullable=True),
        sa.Column("done_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "counselling_contacts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_manager", sa.String(64), nullable=False, index=True),
        sa.Column("contact_date", sa.Date(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("counselling_contacts")
    op.drop_table("case_tasks")
    with op.batch_alter_table("case_placements") as batch:
        batch.alter_column("employer_or_provider", existing_type=sa.String(200), nullable=False)
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("erased_at")
        batch.alter_column("person_id", existing_type=sa.String(36), nullable=False)
    with op.batch_alter_table("persons") as batch:
        batch.drop_index("ix_persons_name_key")
        batch.drop_column("name_key")
