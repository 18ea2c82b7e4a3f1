"""Priority 5 funds non-profit migrant organisations only: its rule gains
``non_profit_required_for: ["migrant_org"]`` in the catalogue and in every round that
overrides it. Applications already submitted keep the rule they were checked against.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRIORITY = "migrant_organisations"
FLAG = "non_profit_required_for"

priorities = sa.table(
    "funding_priorities", sa.column("code", sa.String()), sa.column("rule", sa.JSON())
)
round_priorities = sa.table(
    "round_priorities",
    sa.column("round_id", sa.String()),
    sa.column("priority_code", sa.String()),
    sa.column("rule", sa.JSON()),
)


def _set(rule: dict[str, Any], value: list[str]) -> dict[str, Any]:
    return {**rule, FLAG: value}


def _rewrite(value: list[str]) -> None:
    bind = op.get_bind()
    for code, rule in bind.execute(
        sa.select(priorities.c.code, priorities.c.rule).where(priorities.c.code == PRIORITY)
    ).all():
        bind.execute(
            priorities.update().where(priorities.c.code == code).values(rule=_set(rule, value))
        )
    for round_id, code, rule in bind.execute(
        sa.select(
            round_priorities.c.round_id, round_priorities.c.priority_code, round_priorities.c.rule
        ).where(round_priorities.c.priority_code == PRIORITY, round_priorities.c.rule.is_not(None))
    ).all():
        bind.execute(
            round_priorities.update()
            .where(
                round_priorities.c.round_id == round_id, round_priorities.c.priority_code == code
            )
            .values(rule=_set(rule, value))
        )


def upgrade() -> None:
    _rewrite(["migrant_org"])


def downgrade() -> None:
    _rewrite([])
