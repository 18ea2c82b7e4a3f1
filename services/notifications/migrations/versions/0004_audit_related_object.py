"""Audit rows name the object that holds their object too (``related_type``,
``related_id``: a referral's case), so an object's trail holds what was done to what it
holds (shared/audit.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from shared.audit_api import add_related_columns

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_related_columns(op, "notifications")


def downgrade() -> None:
    # The columns stay: dropping them would lose what the rows recorded; the audit log
    # migration's own downgrade drops the whole table.
    pass
