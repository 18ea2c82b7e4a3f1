"""Response bodies of the delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event_id: str
    event_type: str
    entity_id: str
    channel: Literal["email", "webhook"]
    target_id: str
    recipient: str
    mandatory: bool
    language: str
    subject: str
    status: Literal["pending", "sent", "failed", "suppressed", "cancelled"]
    attempts: int
    resends: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    give_up_at: datetime
    sent_at: datetime | None
    resent_by: str | None
