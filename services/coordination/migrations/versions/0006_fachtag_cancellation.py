"""A Fachtag can be cancelled: when, the office's reason (its own words, kept here alone)
and the key of the command that cancelled it (a repeat with that key gets the same answer).

Revision ID: 0006
Revises: 0005
Create Date: 2027-01-20
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("fachtage") as batch:
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("cancellation_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("cancellation_key", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("fachtage") as batch:
        batch.drop_column("cancellation_key")
        batch.drop_column("cancellation_reason")
        batch.drop_column("cancelled_at")
