"""The network's tables: institutions of the district (actors) and their contact persons.

Contact persons are personal data under the GDPR: they live in this table only, are erased
on request (the row stays, without name, function, e-mail and telephone, so the ids that
working groups and events hold keep pointing at something) and never leave this service
except in the answers of the routes that show them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from services.coordination.base import Base


class NetworkActor(Base):
    """An institution of the district's network: no personal data."""

    __tablename__ = "coordination_actors"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(32), index=True)
    place: Mapped[str] = mapped_column(String(100))
    languages: Mapped[list[str]] = mapped_column(default=list)
    topics: Mapped[list[str]] = mapped_column(default=list)
    # the name, place and topics folded by shared.search.search_key, for ``?q=``
    search_text: Mapped[str] = mapped_column(String(2000))
    # A grant applicant organisation of the applications service, by id only.
    applicant_organisation_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))


class ContactPerson(Base):
    """A member of an institution's staff whom the coordination office deals with."""

    __tablename__ = "coordination_contacts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    actor_id: Mapped[str] = mapped_column(ForeignKey("coordination_actors.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    function: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8), default="de")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime]
    erased_at: Mapped[datetime | None]
    erased_by: Mapped[str | None] = mapped_column(String(64))
