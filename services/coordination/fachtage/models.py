"""Tables of the specialist days and information events (Fachtage): the read model of each
day's workflow, its participants and its history.

The title, venue, programme, the documentation and the reason a day was cancelled are
this service's alone (never in the
workflow or its events). A refugee participant is a case id and the case manager who
registered them: no name of a refugee is ever stored here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.coordination.base import Base


class Fachtag(Base):
    __tablename__ = "fachtage"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    #: the audience in words, e.g. "Geflüchtete" or "Sportvereine"
    audience: Mapped[str] = mapped_column(String(200))
    #: ``schemas.FachtagLevel``: the district's own day, one at state (Hessen) or national level
    level: Mapped[str] = mapped_column(
        String(16), index=True, default="district", server_default="district"
    )
    venue: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(index=True)
    registration_closes_at: Mapped[datetime]
    organiser: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(32), index=True)
    seq: Mapped[int] = mapped_column(default=0)
    registered_count: Mapped[int] = mapped_column(default=0)
    waitlisted_count: Mapped[int] = mapped_column(default=0)
    held_at: Mapped[datetime | None]
    documentation_due_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    documented_at: Mapped[datetime | None]
    documentation: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[datetime | None]
    #: the office's own words (never in the workflow or its events)
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    #: the update id of the command that cancelled the day (a repeat gets its answer)
    cancellation_key: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class FachtagParticipant(Base):
    """One registration: a contact (contact id), staff (user id) or refugee (case id)."""

    __tablename__ = "fachtag_participants"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    fachtag_id: Mapped[str] = mapped_column(ForeignKey("fachtage.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(64))
    registered_by: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16))
    attended: Mapped[bool | None]
    registered_at: Mapped[datetime]
    #: sequence number of the newest event applied to this participant
    seq: Mapped[int] = mapped_column(default=0)


class FachtagHistory(Base):
    """The day's history: every event of its workflow, once."""

    __tablename__ = "fachtag_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    fachtag_id: Mapped[str] = mapped_column(ForeignKey("fachtage.id"), index=True)
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(64))
    time: Mapped[datetime]
    data: Mapped[dict[str, Any]]
