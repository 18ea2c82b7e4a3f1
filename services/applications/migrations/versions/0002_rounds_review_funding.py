"""Funding rounds with budgets, application content and revisions, reviewers and conflicts,
reviews, budget reservations and the payment ledger.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
MONEY = sa.Numeric(14, 2)
ZERO = sa.text("0")

#: Review criteria every priority starts with; a round's programme office may change them.
CRITERIA = [
    {"code": "need", "title": "Bedarf und Zielgruppe", "max_points": 30},
    {"code": "concept", "title": "Konzept und Maßnahmen", "max_points": 30},
    {"code": "cooperation", "title": "Vernetzung und Kooperation", "max_points": 20},
    {"code": "sustainability", "title": "Nachhaltigkeit", "max_points": 20},
]


def upgrade() -> None:
    op.create_table(
        "funding_rounds",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("submission_opens_at", TS, nullable=False),
        sa.Column("submission_closes_at", TS, nullable=False),
        sa.Column("period_earliest_start", sa.Date(), nullable=False),
        sa.Column("period_latest_end", sa.Date(), nullable=False),
        sa.Column("deadlines", sa.JSON(), nullable=False),
        sa.Column("funds_use_months", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "round_priorities",
        sa.Column("round_id", sa.String(64), sa.ForeignKey("funding_rounds.id"), primary_key=True),
        sa.Column(
            "priority_code",
            sa.String(64),
            sa.ForeignKey("funding_priorities.code"),
            primary_key=True,
        ),
        sa.Column("budget", MONEY, nullable=False),
        sa.Column("committed", MONEY, nullable=False, server_default=ZERO),
        sa.Column("paid", MONEY, nullable=False, server_default=ZERO),
        sa.Column("rule", sa.JSON(), nullable=True),
    )
    op.create_table(
        "budget_reservations",
        sa.Column(
            "application_id", sa.String(36), sa.ForeignKey("applications.id"), primary_key=True
        ),
        sa.Column("round_id", sa.String(64), nullable=False),
        sa.Column("priority_code", sa.String(64), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    with op.batch_alter_table("funding_priorities") as batch:
        batch.add_column(sa.Column("criteria", sa.JSON(), nullable=True))
    op.execute(
        sa.table("funding_priorities", sa.column("criteria", sa.JSON()))
        .update()
        .values(criteria=CRITERIA)
    )
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("round_id", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column("target_group", sa.String(500), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("place", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("funding_period_start", sa.Date(), nullable=True))
        batch.add_column(sa.Column("funding_period_end", sa.Date(), nullable=True))
        batch.add_column(sa.Column("cost_lines", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("own_contribution", MONEY, nullable=False, server_default=ZERO))
        batch.add_column(
            sa.Column("third_party_contribution", MONEY, nullable=False, server_default=ZERO)
        )
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("reviewer", sa.String(64), nullable=True))
        batch.add_column(sa.Column("review_score", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("review_max_score", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("recommendation", sa.String(32), nullable=True))
        batch.add_column(sa.Column("decided_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("decided_at", TS, nullable=True))
        batch.add_column(
            sa.Column("decision_final", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("paid_amount", MONEY, nullable=False, server_default=ZERO))
        batch.add_column(sa.Column("reclaim_amount", MONEY, nullable=True))
        batch.add_column(sa.Column("repaid_amount", MONEY, nullable=False, server_default=ZERO))
        batch.add_column(
            sa.Column("report_escalated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_foreign_key("fk_applications_round", "funding_rounds", ["round_id"], ["id"])
        batch.create_index("ix_applications_round_id", ["round_id"])
    op.create_table(
        "application_revisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("application_id", "number"),
    )
    op.create_index(
        "ix_application_revisions_application_id", "application_revisions", ["application_id"]
    )
    op.create_table(
        "reviewer_conflicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column(
            "organisation_id", sa.String(36), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("declared_at", TS, nullable=False),
        sa.Column("declared_by", sa.String(64), nullable=False),
        sa.UniqueConstraint("reviewer", "organisation_id"),
    )
    op.create_index("ix_reviewer_conflicts_reviewer", "reviewer_conflicts", ["reviewer"])
    op.create_table(
        "application_reviews",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("total_score", sa.Integer(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("recommendation", sa.String(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index(
        "ix_application_reviews_application_id", "application_reviews", ["application_id"]
    )
    op.create_table(
        "application_payments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False
        ),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=True),
    )
    op.create_index(
        "ix_application_payments_application_id", "application_payments", ["application_id"]
    )
    op.create_table(
        "application_documents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False
        ),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(64), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
    )
    op.create_index(
        "ix_application_documents_application_id", "application_documents", ["application_id"]
    )


def downgrade() -> None:
    op.drop_table("application_documents")
    op.drop_table("application_payments")
    op.drop_table("application_reviews")
    op.drop_table("reviewer_conflicts")
    op.drop_table("application_revisions")
    with op.batch_alter_table("applications") as batch:
        batch.drop_index("ix_applications_round_id")
        batch.drop_constraint("fk_applications_round", type_="foreignkey")
        for column in (
            "report_escalated",
            "repaid_amount",
            "reclaim_amount",
            "paid_amount",
            "decision_final",
            "decided_at",
            "decided_by",
            "recommendation",
            "review_max_score",
            "review_score",
            "reviewer",
            "revision",
            "third_party_contribution",
            "own_contribution",
            "cost_lines",
            "funding_period_end",
            "funding_period_start",
            "place",
            "target_group",
            "round_id",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("funding_priorities") as batch:
        batch.drop_column("criteria")
    op.drop_table("budget_reservations")
    op.drop_table("round_priorities")
    op.drop_table("funding_rounds")
