"""Attachments of applications and their reports (the files are in the service's file
store under each row's id, shared/files/store.py).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "application_attachments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False
        ),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("report_number", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("description", sa.String(500), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("application_id", "target", "report_number", "sha256"),
    )
    op.create_index(
        "ix_application_attachments_place",
        "application_attachments",
        ["application_id", "target", "report_number"],
    )


def downgrade() -> None:
    op.drop_index("ix_application_attachments_place", "application_attachments")
    op.drop_table("application_attachments")
