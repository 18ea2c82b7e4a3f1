"""Tables of the support around a case: volunteer pools, interpreter bookings, the
employment track and employer contacts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.cases.db import Base


class Volunteer(Base):
    """A volunteer of the district's pools (mentor/pilot, integration guide, lay
    interpreter). Their own contact data, kept with their agreement; no refugee's data."""

    __tablename__ = "volunteers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), index=True)
    languages: Mapped[list[str]]
    place: Mapped[str] = mapped_column(String(100))
    availability: Mapped[str | None] = mapped_column(String(500))
    contact: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class CaseVolunteer(Base):
    """A volunteer matched to a case."""

    __tablename__ = "case_volunteers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteers.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class InterpreterBooking(Base):
    """A lay interpreter booked for one of the person's appointments."""

    __tablename__ = "interpreter_bookings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    volunteer_id: Mapped[str] = mapped_column(ForeignKey("volunteers.id"), index=True)
    appointment_at: Mapped[datetime]
    place: Mapped[str | None] = mapped_column(String(200))  # None once erased
    language: Mapped[str] = mapped_column(String(2))
    purpose: Mapped[str | None] = mapped_column(String(500))  # None once erased
    status: Mapped[str] = mapped_column(String(16))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime | None]
    recorded_by: Mapped[str | None] = mapped_column(String(64))


class EmploymentStep(Base):
    """A step on the case's way into work: an application sent, an interview, an
    internship, vocational training (Ausbildung) or employment."""

    __tablename__ = "employment_steps"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    employer: Mapped[str | None] = mapped_column(String(200))  # None once erased
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class EmployerContact(Base):
    """Contact with an employer and the advice given to them (hiring refugees, work
    permits, subsidies, recognition). About the employer, not about a refugee."""

    __tablename__ = "employer_contacts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    employer: Mapped[str] = mapped_column(String(200), index=True)
    contact_person: Mapped[str | None] = mapped_column(String(200))
    contact_date: Mapped[date]
    topics: Mapped[list[str]]
    advice: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
