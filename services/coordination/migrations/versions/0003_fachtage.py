"""Specialist days and information events (Fachtage): the days, their participants and
their history (issue 15, part 2).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "fachtage",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("audience", sa.String(200), nullable=False),
        sa.Column("venue", sa.String(300), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("starts_at", TIME, nullable=False, index=True),
        sa.Column("registration_closes_at", TIME, nullable=False),
        sa.Column("organiser", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False, index=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("registered_count", sa.Integer(), nullable=False),
        sa.Column("waitlisted_count", sa.Integer(), nullable=False),
        sa.Column("held_at", TIME, nullable=True),
        sa.Column("documentation_due_at", TIME, nullable=True),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("documented_at", TIME, nullable=True),
        sa.Column("documentation", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(128), nullable=True, unique=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
    )
    op.create_table(
        "fachtag_participants",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "fachtag_id", sa.String(36), sa.ForeignKey("fachtage.id"), nullable=False, index=True
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("registered_by", sa.String(64), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("registered_at", TIME, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
    )
    op.create_table(
        "fachtag_events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column(
            "fachtag_id", sa.String(36), sa.ForeignKey("fachtage.id"), nullable=False, index=True
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("time", TIME, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("fachtag_events")
    op.drop_table("fachtag_participants")
    op.drop_table("fachtage")
