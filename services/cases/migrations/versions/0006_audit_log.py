"""The append-only audit log (shared/audit.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from collections.abc import Sequence

from alembic import op

from shared.audit_api import create_audit_table, drop_audit_table

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_table(op, "cases")


def downgrade() -> None:
    drop_audit_table(op, "cases")
