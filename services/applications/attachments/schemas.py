"""What the attachment routes answer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from services.applications.attachments.models import ApplicationAttachment


class AttachmentTarget(StrEnum):
    application = "application"
    interim_report = "interim_report"
    final_report = "final_report"


class AttachmentOut(BaseModel):
    id: str
    object_id: str  # the application's id
    target: AttachmentTarget
    report_number: int | None  # the interim report's number, else None
    file_name: str  # as kept (shared/files/names.py)
    media_type: str  # as detected from the content (shared/files/content.py)
    size: int
    sha256: str
    description: str | None
    uploaded_at: datetime
    uploaded_by: str

    @classmethod
    def of(cls, row: ApplicationAttachment) -> AttachmentOut:
        return cls(
            id=row.id,
            object_id=row.application_id,
            target=AttachmentTarget(row.target),
            report_number=row.report_number or None,
            file_name=row.file_name,
            media_type=row.media_type,
            size=row.size,
            sha256=row.sha256,
            description=row.description,
            uploaded_at=row.uploaded_at,
            uploaded_by=row.uploaded_by,
        )
