"""The network of actors and the working groups (issue 15, part 1).

Reserved in the skeleton so that part 2's migrations can follow it (0003 on); the branch
``coord`` fills it in.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
