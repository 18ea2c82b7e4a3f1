"""Tables of the catalogue: applicant organisations and the funding priorities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.applications.base import Base


class Organisation(Base):
    """An applicant body. Its name is kept folded for search (``name_key``); the first
    body of a name and type also holds ``name_claim`` (the folded name), unique per type,
    so that a second one of the same name is refused even when both are created at the
    same moment. A body created explicitly as a different one of the same name
    (``OrganisationIn.distinct_from``) holds no claim."""

    __tablename__ = "organisations"
    __table_args__ = (
        Index("uq_organisations_name_claim", "applicant_type", "name_claim", unique=True),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(800), index=True, default="")
    name_claim: Mapped[str | None] = mapped_column(String(800))
    applicant_type: Mapped[str] = mapped_column(String(32), index=True)
    population: Mapped[int | None]
    runs_interpreter_pool: Mapped[bool] = mapped_column(default=False)
    is_non_profit: Mapped[bool] = mapped_column(default=False)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # Postal address for letters (Zuwendungsbescheid, Rückforderungsbescheid): all or none of
    # street, postal_code and city; ``addressee`` is an optional line below the name
    # (a department, "z. Hd. ...").
    addressee: Mapped[str | None] = mapped_column(String(100))
    street: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class FundingPriority(Base):
    __tablename__ = "funding_priorities"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    rule: Mapped[dict[str, Any]]
    # Review criteria: [{"code": ..., "title": ..., "max_points": ...}]
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(64))
