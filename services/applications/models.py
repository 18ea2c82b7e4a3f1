"""Tables owned by the applications service."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[int]: JSON,
        list[dict[str, Any]]: JSON,
        datetime: UtcDateTime(),
    }


Money = Numeric(14, 2)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    applicant_type: Mapped[str] = mapped_column(String(32), index=True)
    population: Mapped[int | None]
    runs_interpreter_pool: Mapped[bool] = mapped_column(default=False)
    is_non_profit: Mapped[bool] = mapped_column(default=False)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class FundingPriority(Base):
    __tablename__ = "funding_priorities"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    rule: Mapped[dict[str, Any]]
    # Review criteria: [{"code": ..., "title": ..., "max_points": ...}]
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class FundingRound(Base):
    """A call for applications: its window, its periods (as data) and its budgets."""

    __tablename__ = "funding_rounds"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # e.g. "2027"
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))  # draft | open | closed
    submission_opens_at: Mapped[datetime]
    submission_closes_at: Mapped[datetime]
    period_earliest_start: Mapped[date]
    period_latest_end: Mapped[date]
    # shared.contracts.grants.Deadlines as JSON: report months, reminders, grace, appeal window …
    deadlines: Mapped[dict[str, Any]]
    funds_use_months: Mapped[int] = mapped_column(default=2)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class RoundPriority(Base):
    """A priority's budget in a round. ``committed`` only changes in one guarded UPDATE, so
    concurrent approvals can never take more than ``budget``."""

    __tablename__ = "round_priorities"

    round_id: Mapped[str] = mapped_column(ForeignKey("funding_rounds.id"), primary_key=True)
    priority_code: Mapped[str] = mapped_column(
        ForeignKey("funding_priorities.code"), primary_key=True
    )
    budget: Mapped[Decimal] = mapped_column(Money)
    committed: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    paid: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    # Overrides the catalogue's rule for this round when set.
    rule: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class BudgetReservation(Base):
    """The part of a round's priority budget an approval holds (one per application)."""

    __tablename__ = "budget_reservations"

    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    round_id: Mapped[str] = mapped_column(String(64))
    priority_code: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime]


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_stage_priority", "stage", "priority_code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    priority_code: Mapped[str] = mapped_column(ForeignKey("funding_priorities.code"))
    round_id: Mapped[str | None] = mapped_column(ForeignKey("funding_rounds.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[str] = mapped_column(String(500), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    funding_period_start: Mapped[date | None]
    funding_period_end: Mapped[date | None]
    # [{"category": "personnel" | "mini_job" | "material" | "fees" | "other",
    #   "description": ..., "amount": "…"}]
    cost_lines: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    own_contribution: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    third_party_contribution: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    requested_amount: Mapped[Decimal] = mapped_column(Money)
    migrant_org_partner: Mapped[str | None] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(default=1)
    stage: Mapped[str] = mapped_column(String(32))
    # Sequence number of the last workflow event applied to this row.
    seq: Mapped[int] = mapped_column(default=0)
    reviewer: Mapped[str | None] = mapped_column(String(64))
    review_score: Mapped[int | None]
    review_max_score: Mapped[int | None]
    recommendation: Mapped[str | None] = mapped_column(String(32))
    granted_amount: Mapped[Decimal | None] = mapped_column(Money)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    decision_final: Mapped[bool] = mapped_column(default=False)
    paid_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    spent_amount: Mapped[Decimal | None] = mapped_column(Money)
    reclaim_amount: Mapped[Decimal | None] = mapped_column(Money)
    repaid_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    final_report_due_at: Mapped[datetime | None]
    report_overdue: Mapped[bool] = mapped_column(default=False)
    report_escalated: Mapped[bool] = mapped_column(default=False)
    ineligible_reasons: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class ApplicationRevision(Base):
    """What the applicant submitted, each time: revision 1 at submission, then one per
    resubmission. Kept for good, so revisions can be compared."""

    __tablename__ = "application_revisions"
    __table_args__ = (UniqueConstraint("application_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    number: Mapped[int]
    content: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class ReviewerConflict(Base):
    """A reviewer's declared conflict of interest with an organisation."""

    __tablename__ = "reviewer_conflicts"
    __table_args__ = (UniqueConstraint("reviewer", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    reviewer: Mapped[str] = mapped_column(String(64), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    reason: Mapped[str] = mapped_column(String(500))
    declared_at: Mapped[datetime]
    declared_by: Mapped[str] = mapped_column(String(64))


class ApplicationReview(Base):
    """A reviewer's scores per criterion, comment and recommendation."""

    __tablename__ = "application_reviews"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    revision: Mapped[int]
    reviewer: Mapped[str] = mapped_column(String(64))
    scores: Mapped[dict[str, Any]]
    total_score: Mapped[int]
    max_score: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class PaymentRecord(Base):
    """The payment ledger (Mittelabruf), projected from the workflow's payment events."""

    __tablename__ = "application_payments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime]
    requested_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(64))


class ApplicationDocument(Base):
    """What the applicant or staff wrote with a command: Sachbericht and actual costs of a
    report, the reason of a change request or an appeal, a report review's reasons."""

    __tablename__ = "application_documents"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str | None] = mapped_column(String(64))  # report number, change id, …
    body: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class ApplicationEvent(Base):
    """The application's history: every event of its workflow, once."""

    __tablename__ = "application_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(64))
    time: Mapped[datetime]
    data: Mapped[dict[str, Any]]


class CommandKey(Base):
    """Idempotency keys of commands that succeeded: a repeat returns the current state.

    Temporal de-duplicates update ids too, but only within one run; the funding period
    starts a new run (continue-as-new), so the service remembers keys itself.
    """

    __tablename__ = "application_command_keys"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"))
    command: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
