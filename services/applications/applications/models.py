"""Tables of the applications: the read model of each application, its revisions, the
documents written with its commands, its event history, the commands' idempotency keys and
the counters of the file numbers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.applications.base import Base, Money


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_stage_priority", "stage", "priority_code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The Aktenzeichen, WIR-2027-00042 (``file_numbers``): readable, gap-free per year.
    file_number: Mapped[str] = mapped_column(String(32), unique=True, index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    priority_code: Mapped[str] = mapped_column(ForeignKey("funding_priorities.code"))
    round_id: Mapped[str | None] = mapped_column(ForeignKey("funding_rounds.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # The title folded for search (shared.search.search_key), kept with the title.
    title_key: Mapped[str] = mapped_column(String(800), default="")
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
    """Idempotency keys of commands: a repeat returns the current state.

    Temporal de-duplicates update ids too, but only within one run; the funding period
    starts a new run (continue-as-new), so the service remembers keys itself. A row with
    ``done`` false is a claim: a request with this key is being carried out, and a
    concurrent one with the same key waits for it (``commands.done_before``).
    """

    __tablename__ = "application_command_keys"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"))
    command: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    body_digest: Mapped[str | None] = mapped_column(String(64))
    done: Mapped[bool] = mapped_column(default=True)


class CreationKey(Base):
    """Idempotency keys of creations (``POST /applications``, ``POST /organisations``):
    a repeat with the same key and body returns the object created first."""

    __tablename__ = "creation_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(36))
    body_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class FileNumberCounter(Base):
    """The last file number given per kind (``WIR``) and year: the next creation takes
    ``last + 1`` in its own transaction (``file_numbers.next_file_number``)."""

    __tablename__ = "file_number_counters"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
