"""Intercultural-opening measures per institution of the network: what the office
accompanies (training of staff, multilingual information, an intercultural contact
person, …), with goal, status and dates. No personal data: the institution by its id."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.coordination.base import Base


class Measure(Base):
    __tablename__ = "opening_measures"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    #: the institution (an actor of the network) the measure opens up
    institution_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    started_on: Mapped[date | None]
    due_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))
    #: the number of the measure's last event (services/coordination/outbox.py)
    seq: Mapped[int] = mapped_column(default=0)
