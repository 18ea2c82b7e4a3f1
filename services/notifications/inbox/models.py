"""The notifications addressees read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.notifications.base import Base


class Notification(Base):
    """What one event means for one addressee. An event notifies each addressee once."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("event_id", "addressee", name="uq_notifications_event_addressee"),
        Index("ix_notifications_addressee_created", "addressee", "created_at"),
        Index("ix_notifications_created", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(64), index=True)
    # The application or case the event is about.
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    addressee_kind: Mapped[str] = mapped_column(String(16))
    # An organisation id or a case manager's user id.
    addressee: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="de")
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    read_by: Mapped[str | None] = mapped_column(String(64))
