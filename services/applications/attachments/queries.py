"""Reads of attachments: one place's page, one attachment."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.attachments.models import ApplicationAttachment
from services.applications.attachments.schemas import AttachmentTarget
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found


async def list_attachments(
    *,
    session: AsyncSession,
    application_id: str,
    target: AttachmentTarget,
    report_number: int,
    page: PageParams,
) -> tuple[list[ApplicationAttachment], int]:
    query = (
        select(ApplicationAttachment)
        .where(
            ApplicationAttachment.application_id == application_id,
            ApplicationAttachment.target == target.value,
            ApplicationAttachment.report_number == report_number,
        )
        .order_by(ApplicationAttachment.uploaded_at, ApplicationAttachment.id)
    )
    return await fetch_page(session, query, page)


async def get_attachment(
    *,
    session: AsyncSession,
    application_id: str,
    target: AttachmentTarget,
    report_number: int,
    attachment_id: str,
) -> ApplicationAttachment:
    """The attachment, if it belongs to this place of this application (else 404)."""
    row = await session.get(ApplicationAttachment, attachment_id)
    if (
        row is None
        or row.application_id != application_id
        or row.target != target.value
        or row.report_number != report_number
    ):
        raise not_found("attachment", attachment_id)
    return row
