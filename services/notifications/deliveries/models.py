"""The delivery log: one row per notification and channel, with its retries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.notifications.base import Base


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
    # pending | sent | failed | suppressed (opted out) | cancelled (webhook deactivated)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    resends: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime | None]
    give_up_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    resent_by: Mapped[str | None] = mapped_column(String(64))
    # The trace of the event this delivery is for (only with tracing on, shared/tracing.py).
    traceparent: Mapped[str | None] = mapped_column(String(55), default=None)
