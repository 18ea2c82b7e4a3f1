"""The measures' events (each measure's event sequence and the service's outbox) and the
working groups' meeting cycle.

Revision ID: 0005
Revises: 0004
Create Date: 2027-01-12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("opening_measures") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "coordination_outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False, index=True),
    )
    with op.batch_alter_table("coordination_groups") as batch:
        batch.add_column(sa.Column("cadence", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("coordination_groups") as batch:
        batch.drop_column("cadence")
    op.drop_table("coordination_outbox")
    with op.batch_alter_table("opening_measures") as batch:
        batch.drop_column("seq")
