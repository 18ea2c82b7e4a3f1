"""What the case attachment routes answer."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from services.cases.attachments.models import CaseAttachment


class CaseAttachmentOut(BaseModel):
    id: str
    object_id: str  # the case's id
    file_name: str  # as kept (shared/files/names.py)
    media_type: str  # as detected from the content (shared/files/content.py)
    size: int
    sha256: str
    description: str | None
    uploaded_at: datetime
    uploaded_by: str

    @classmethod
    def of(cls, row: CaseAttachment) -> CaseAttachmentOut:
        return cls(
            id=row.id,
            object_id=row.case_id,
            file_name=row.file_name,
            media_type=row.media_type,
            size=row.size,
            sha256=row.sha256,
            description=row.description,
            uploaded_at=row.uploaded_at,
            uploaded_by=row.uploaded_by,
        )
