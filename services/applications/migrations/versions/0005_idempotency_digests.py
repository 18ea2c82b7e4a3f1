"""Idempotency keys keep the digest of their request's body (the same key with another
body is refused), a command's key is claimed before it is carried out (``done`` false
until its commit), and creations have keys too.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("application_command_keys") as batch:
        batch.add_column(sa.Column("body_digest", sa.String(64), nullable=True))
        batch.add_column(sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        "creation_keys",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("object_id", sa.String(36), nullable=False),
        sa.Column("body_digest", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("creation_keys")
    with op.batch_alter_table("application_command_keys") as batch:
        batch.drop_column("done")
        batch.drop_column("body_digest")
