"""The table of the district's service catalogue: public, no personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.cases.db import Base


class Offer(Base):
    """An offer of the district's service catalogue; public, no personal data."""

    __tablename__ = "offers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32), index=True)
    provider: Mapped[str] = mapped_column(String(200))
    # The provider's stable id (a slug such as ``vhs-ohmtal``): a provider account's token
    # names it (``wir_provider``) and sees the referrals to the offers carrying it.
    provider_id: Mapped[str] = mapped_column(String(64), index=True)
    place: Mapped[str] = mapped_column(String(100))
    languages: Mapped[list[str]] = mapped_column(default=list)
    target_group: Mapped[str] = mapped_column(String(500))
    contact: Mapped[str] = mapped_column(String(500))
    opening_hours: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None]  # places per course or month, where the provider says
    waiting_weeks: Mapped[int | None]  # current waiting time for a place
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))
