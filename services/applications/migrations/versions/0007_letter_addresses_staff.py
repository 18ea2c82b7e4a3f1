"""Letters: organisations get a postal address (all nullable, so existing rows stay valid)
and the service remembers staff display names (``staff_members``) for the letters it
issues.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("addressee", sa.String(100), nullable=True))
        batch.add_column(sa.Column("street", sa.String(100), nullable=True))
        batch.add_column(sa.Column("postal_code", sa.String(5), nullable=True))
        batch.add_column(sa.Column("city", sa.String(100), nullable=True))
    op.create_table(
        "staff_members",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("staff_members")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("city")
        batch.drop_column("postal_code")
        batch.drop_column("street")
        batch.drop_column("addressee")
