"""Tables owned by the notifications service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UtcDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime()}


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


class Delivery(Base):
    """One e-mail or webhook call for one event: the delivery log.

    Unique per (event, channel, target): a redelivered event finds its deliveries and
    sends nothing again.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "channel", "target_id", name="uq_deliveries_event_target"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        Index("ix_deliveries_created", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(64), index=True)
    entity_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    # The recipient's or the webhook's id.
    target_id: Mapped[str] = mapped_column(String(36), index=True)
    # For filtering: the addressee (organisation id, case manager, ...) or "webhook".
    recipient: Mapped[str] = mapped_column(String(64), index=True)
    mandatory: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    # E-mail text, or the CloudEvent JSON a webhook receives.
    body: Mapped[str] = mapped_column(Text)
    # pending | sent | failed | suppressed (opted out)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    resends: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime | None]
    give_up_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    resent_by: Mapped[str | None] = mapped_column(String(64))
