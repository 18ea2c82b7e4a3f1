"""Tables of the cases themselves: the person, the case (the read model of its workflow),
its shares, the records its commands keep, its event history and anonymous contacts.

``persons`` and the free-text columns of the case tables hold the refugee's personal data:
it lives here and nowhere else (never in workflow inputs, events, search attributes or logs).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.cases.db import Base


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    languages: Mapped[list[str]] = mapped_column(default=list)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(300))
    residence_status: Mapped[str | None] = mapped_column(String(200))
    family_situation: Mapped[str | None] = mapped_column(String(500))
    # Normalised name (``names.name_key``): with the birth date, flags possible duplicates;
    # the name search matches its tokens.
    name_key: Mapped[str | None] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class Case(Base):
    """A case and the read model of its workflow (stage, seq and the codes its events carry)."""

    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # The readable file number (Aktenzeichen), FM-2026-00117 (``numbers``): names the file,
    # never the person, and stays after an erasure. Nullable in the schema only because
    # SQLite adds a NOT NULL column to a table others refer to by rebuilding it; every case
    # takes one at intake and migration 0008 numbered the cases opened before.
    file_number: Mapped[str] = mapped_column(String(16), nullable=True, unique=True, index=True)
    # None once the person's data was erased (``erased_at``); the case's codes stay.
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"), index=True)
    case_manager: Mapped[str] = mapped_column(String(64), index=True)
    stage: Mapped[str] = mapped_column(String(32), index=True)
    # Sequence number of the last workflow event applied to this row.
    seq: Mapped[int] = mapped_column(default=0)
    need_count: Mapped[int] = mapped_column(default=0)
    placement_type: Mapped[str | None] = mapped_column(String(32))
    follow_up_due_at: Mapped[datetime | None]
    closure_reason: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    consent_purposes: Mapped[list[str]]
    consent_given_at: Mapped[date]
    consent_recorded_by: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class CaseNumberCounter(Base):
    """The last file number given per calendar year (Europe/Berlin); ``numbers`` takes
    the next one in the transaction that opens the case."""

    __tablename__ = "case_number_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int]


class CaseShare(Base):
    """A colleague the case's case manager shares the case with: they may see it and work
    on it until the share is removed. Staff ids only."""

    __tablename__ = "case_shares"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    case_manager: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


# The rows below that a command records carry the id of the workflow event that confirmed
# the command as their primary key: a repeated command (same Idempotency-Key, same event)
# records nothing twice.


class CaseAssessment(Base):
    __tablename__ = "case_assessments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    needs: Mapped[list[str]]
    languages: Mapped[list[str]]
    school_qualification: Mapped[str | None] = mapped_column(String(200))
    vocational_qualification: Mapped[str | None] = mapped_column(String(500))
    work_experience: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class CasePlan(Base):
    """One version of a case's plan; revising adds a version, earlier ones stay (history).
    ``goals``: ``[{"area", "goal", "target_date", "status"}]`` — ``goal`` is free text."""

    __tablename__ = "case_plans"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    version: Mapped[int]
    goals: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class CaseReferral(Base):
    """A referral into an offer; its status follows the workflow's referral events."""

    __tablename__ = "case_referrals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id"))
    status: Mapped[str] = mapped_column(String(16))
    # Sequence number of the last event applied to this referral.
    seq: Mapped[int] = mapped_column(default=0)
    decline_reason: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    response_note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(64))


class CasePlacement(Base):
    __tablename__ = "case_placements"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    placement_type: Mapped[str] = mapped_column(String(32))
    employer_or_provider: Mapped[str | None] = mapped_column(String(200))  # None once erased
    start_date: Mapped[date]
    offer_id: Mapped[str | None] = mapped_column(ForeignKey("offers.id"))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class CaseFollowUp(Base):
    __tablename__ = "case_follow_ups"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    still_placed: Mapped[bool]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class CaseClosure(Base):
    """Why and how a case was closed; a reopened case keeps its earlier closures."""

    __tablename__ = "case_closures"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class CaseEvent(Base):
    """The case's history: every event of its workflow, once."""

    __tablename__ = "case_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(64))
    time: Mapped[datetime]
    data: Mapped[dict[str, Any]]


class CounsellingContact(Base):
    """A counselling contact without consent: anonymous, no person is recorded."""

    __tablename__ = "counselling_contacts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_manager: Mapped[str] = mapped_column(String(64), index=True)
    contact_date: Mapped[date]
    topics: Mapped[list[str]]
    languages: Mapped[list[str]]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    # scoped to the user who sent it (shared/idempotency.py)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), index=True, unique=True)
