"""The coordination service's first tables: the append-only audit log (shared/audit.py).

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from shared.audit_api import create_audit_table, drop_audit_table

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_table(op, "coordination")


def downgrade() -> None:
    drop_audit_table(op, "coordination")
