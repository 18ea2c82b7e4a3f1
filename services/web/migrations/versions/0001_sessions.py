"""The web front end's sessions.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("user", sa.String(64)),
        sa.Column("display_name", sa.String(200)),
        sa.Column("roles", sa.JSON, nullable=False),
        sa.Column("organisation_id", sa.String(64)),
        sa.Column("provider_id", sa.String(64)),
        sa.Column("access_token", sa.Text),
        sa.Column("pending_login", sa.JSON, nullable=False),
        sa.Column("flash", sa.String(500)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False, index=True),
        sa.Column("ends_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("web_sessions")
