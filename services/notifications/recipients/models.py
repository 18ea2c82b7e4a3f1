"""Who gets notifications how: recipients (e-mail, language, opt-out) and webhooks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.notifications.base import Base


class Recipient(Base):
    """Where and in which language an addressee gets its notifications by e-mail.

    Registered over the API (``PUT /recipients/{kind}/{addressee}``): the applications and
    cases services own the contact data, and services never read each other's tables.
    """

    __tablename__ = "recipients"
    __table_args__ = (UniqueConstraint("kind", "addressee", name="uq_recipients_kind_addressee"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    addressee: Mapped[str] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(8), default="de")
    # Mutes every notification but the statutory ones (Bescheide).
    opted_out: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Webhook(Base):
    """An endpoint that receives WIR events as signed HTTP POSTs."""

    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    # Event types it receives; empty: every type.
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(128))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
