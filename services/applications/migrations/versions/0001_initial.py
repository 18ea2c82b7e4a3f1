"""Organisations, the funding priorities catalogue (seeded), applications and their history.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from services.applications.catalogue.seed import DEFAULT_PRIORITIES

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
MONEY = sa.Numeric(14, 2)


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("applicant_type", sa.String(32), nullable=False, index=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("runs_interpreter_pool", sa.Boolean(), nullable=False),
        sa.Column("is_non_profit", sa.Boolean(), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    priorities = op.create_table(
        "funding_priorities",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("number", sa.Integer(), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column(
            "priority_code", sa.String(64), sa.ForeignKey("funding_priorities.code"), nullable=False
        ),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("requested_amount", MONEY, nullable=False),
        sa.Column("migrant_org_partner", sa.String(200), nullable=True),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("granted_amount", MONEY, nullable=True),
        sa.Column("spent_amount", MONEY, nullable=True),
        sa.Column("final_report_due_at", TS, nullable=True),
        sa.Column("report_overdue", sa.Boolean(), nullable=False),
        sa.Column("ineligible_reasons", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_applications_organisation_id", "applications", ["organisation_id"])
    op.create_index("ix_applications_stage_priority", "applications", ["stage", "priority_code"])
    op.create_table(
        "application_events",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column(
            "application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("time", TS, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index(
        "ix_application_events_application_id", "application_events", ["application_id"]
    )
    op.create_table(
        "application_command_keys",
        sa.Column("key", sa.String(160), primary_key=True),
        sa.Column(
            "application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False
        ),
        sa.Column("command", sa.String(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )

    now = datetime.now(UTC)
    op.bulk_insert(
        priorities,
        [
            {
                "code": p.code,
                "number": p.number,
                "title": p.title,
                "rule": p.rule.model_dump(mode="json"),
                "updated_at": now,
                "updated_by": "seed",
            }
            for p in DEFAULT_PRIORITIES
        ],
    )


def downgrade() -> None:
    op.drop_table("application_command_keys")
    op.drop_table("application_events")
    op.drop_table("applications")
    op.drop_table("funding_priorities")
    op.drop_table("organisations")
