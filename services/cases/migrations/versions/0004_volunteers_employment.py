"""Volunteer pools, interpreter bookings, the employment track, employer contacts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _created() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    ]


def _case_id() -> sa.Column[str]:
    return sa.Column(
        "case_id", sa.String(36), sa.ForeignKey("cases.id"), nullable=False, index=True
    )


def _volunteer_id() -> sa.Column[str]:
    return sa.Column(
        "volunteer_id", sa.String(36), sa.ForeignKey("volunteers.id"), nullable=False, index=True
    )


def upgrade() -> None:
    op.create_table(
        "volunteers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False, index=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("place", sa.String(100), nullable=False),
        sa.Column("availability", sa.String(500), nullable=True),
        sa.Column("contact", sa.String(300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_created(),
    )
    op.create_table(
        "case_volunteers",
        sa.Column("id", sa.String(36), primary_key=True),
        _case_id(),
        _volunteer_id(),
        sa.Column("role", sa.String(32), nullable=False),
        *_created(),
    )
    op.create_table(
        "interpreter_bookings",
        sa.Column("id", sa.String(36), primary_key=True),
        _case_id(),
        _volunteer_id(),
        sa.Column("appointment_at", TS, nullable=False),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("purpose", sa.String(500), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        *_created(),
        sa.Column("recorded_at", TS, nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "employment_steps",
        sa.Column("id", sa.String(36), primary_key=True),
        _case_id(),
        sa.Column("kind", sa.String(32), nullable=False, index=True),
        sa.Column("employer", sa.String(200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_created(),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "employer_contacts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("employer", sa.String(200), nullable=False, index=True),
        sa.Column("contact_person", sa.String(200), nullable=True),
        sa.Column("contact_date", sa.Date(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=True),
        *_created(),
    )


def downgrade() -> None:
    for table in (
        "employer_contacts",
        "employment_steps",
        "interpreter_bookings",
        "case_volunteers",
        "volunteers",
    ):
        op.drop_table(table)
