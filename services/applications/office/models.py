"""Tables of the programme office: the display names of staff who sign letters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from services.applications.base import Base


class StaffMember(Base):
    """A staff member's display name, as their token's ``name`` claim last gave it.

    Letters are issued from events, which name the actor by user id only (names never go
    into events); this table turns the id into the name the letter is signed with.
    """

    __tablename__ = "staff_members"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]
