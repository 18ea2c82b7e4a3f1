"""The table of attachments: one row per stored file, the bytes in the service's file store
under the row's id (shared/files/store.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.applications.base import Base


class ApplicationAttachment(Base):
    """A file attached to an application (``target`` ``application``), to one of its
    interim reports (``interim_report``, ``report_number`` ≥ 1) or to its final report
    (``final_report``); ``report_number`` is 0 where no report number applies. The same
    file (by its SHA-256) is kept once per place: a repeated upload returns the first."""

    __tablename__ = "application_attachments"
    __table_args__ = (
        UniqueConstraint("application_id", "target", "report_number", "sha256"),
        Index("ix_application_attachments_place", "application_id", "target", "report_number"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"))
    target: Mapped[str] = mapped_column(String(16))
    report_number: Mapped[int] = mapped_column(default=0)
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(500))
    uploaded_at: Mapped[datetime]
    uploaded_by: Mapped[str] = mapped_column(String(64))
