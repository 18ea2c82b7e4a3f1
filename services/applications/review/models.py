"""Tables of the review: reviewers' conflicts of interest and their scores."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.applications.base import Base


class ReviewerConflict(Base):
    """A reviewer's declared conflict of interest with an organisation."""

    __tablename__ = "reviewer_conflicts"
    __table_args__ = (UniqueConstraint("reviewer", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    reviewer: Mapped[str] = mapped_column(String(64), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    reason: Mapped[str] = mapped_column(String(500))
    declared_at: Mapped[datetime]
    declared_by: Mapped[str] = mapped_column(String(64))


class ApplicationReview(Base):
    """A reviewer's scores per criterion, comment and recommendation."""

    __tablename__ = "application_reviews"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    revision: Mapped[int]
    reviewer: Mapped[str] = mapped_column(String(64))
    scores: Mapped[dict[str, Any]]
    total_score: Mapped[int]
    max_score: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
