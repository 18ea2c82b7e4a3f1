"""A Fachtag's level: ``district`` (the district's own), ``state`` (Hessen) or
``national``; the days planned before are the district's.

Revision ID: 0007
Revises: 0006
Create Date: 2027-02-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("fachtage") as batch:
        batch.add_column(
            sa.Column("level", sa.String(16), nullable=False, server_default="district")
        )
        batch.create_index("ix_fachtage_level", ["level"])


def downgrade() -> None:
    with op.batch_alter_table("fachtage") as batch:
        batch.drop_index("ix_fachtage_level")
        batch.drop_column("level")
