"""An Idempotency-Key on anonymous counselling contacts: an intake without consent that is
sent again with the same key counts the contact once.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("counselling_contacts") as table:
        table.add_column(sa.Column("idempotency_key", sa.String(128), nullable=True))
    op.create_index(
        "ix_counselling_contacts_idempotency_key",
        "counselling_contacts",
        ["idempotency_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ix_counselling_contacts_idempotency_key", "counselling_contacts")
    with op.batch_alter_table("counselling_contacts") as table:
        table.drop_column("idempotency_key")
