"""Tables owned by the applications service."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[str]: JSON,
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
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_stage_priority", "stage", "priority_code"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    priority_code: Mapped[str] = mapped_column(ForeignKey("funding_priorities.code"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    requested_amount: Mapped[Decimal] = mapped_column(Money)
    migrant_org_partner: Mapped[str | None] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(32))
    # Sequence number of the last workflow event applied to this row.
    seq: Mapped[int] = mapped_column(default=0)
    granted_amount: Mapped[Decimal | None] = mapped_column(Money)
    spent_amount: Mapped[Decimal | None] = mapped_column(Money)
    final_report_due_at: Mapped[datetime | None]
    report_overdue: Mapped[bool] = mapped_column(default=False)
    ineligible_reasons: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


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
