"""The table of the coordination service's ``Idempotency-Key``s: ``POST /actors``,
``POST /groups`` and the other creations pass it to ``shared.creation.create_once``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.coordination.base import Base


class CreationKey(Base):
    """An ``Idempotency-Key`` (scoped to its user and the kind of object) and what it made."""

    __tablename__ = "coordination_creation_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    body_digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
