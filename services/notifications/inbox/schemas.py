"""Response bodies of the inbox."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from services.notifications.notices.rules import AddresseeKind


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    event_id: str
    event_type: str
    entity_id: str
    addressee_kind: AddresseeKind
    addressee: str
    language: str
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None
    read_by: str | None
