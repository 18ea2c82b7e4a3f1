"""A funding round says whether money repaid after a reclaim returns to its budget
(``repaid_returns_to_budget``, false for every round so far: their budgets stay as they
were).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN: a batch copy of the table would have to drop funding_rounds,
    # which the applications' and budgets' foreign keys refer to
    op.add_column(
        "funding_rounds",
        sa.Column(
            "repaid_returns_to_budget", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("funding_rounds") as batch:
        batch.drop_column("repaid_returns_to_budget")
