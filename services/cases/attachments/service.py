"""A case's attachments: added and removed by a case manager who may work on the case,
kept until they are removed or the case's personal data is erased (:func:`erase`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.attachments.models import CaseAttachment
from services.cases.cases.models import Case
from shared.files.store import FileStore, commit_with_file
from shared.files.upload import Upload
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found, stage_conflict


def check_not_erased(case: Case) -> None:
    if case.erased_at is not None:
        raise stage_conflict("The case's personal data was erased: it takes no attachments.")


async def attach(
    *, session: AsyncSession, store: FileStore, case: Case, upload: Upload, user: str
) -> tuple[CaseAttachment, bool]:
    """The attachment for ``upload`` and whether it is new (the same file on the same case
    is kept once: a repeated upload returns the first). The case is read again, locked
    (PostgreSQL), now that the file is in: an erasure that came meanwhile wins, and one that
    comes later waits for this commit and then finds the file."""
    await session.refresh(case, with_for_update=True)
    check_not_erased(case)
    existing = await session.scalar(
        select(CaseAttachment).where(
            CaseAttachment.case_id == case.id, CaseAttachment.sha256 == upload.sha256
        )
    )
    if existing is not None:
        return existing, False
    row = CaseAttachment(
        id=str(uuid.uuid4()),
        case_id=case.id,
        file_name=upload.file_name,
        media_type=upload.media_type,
        size=upload.size,
        sha256=upload.sha256,
        description=upload.description,
        uploaded_at=datetime.now(UTC),
        uploaded_by=user,
    )
    session.add(row)
    await commit_with_file(session=session, store=store, key=row.id, source=upload.file)
    return row, True


async def list_attachments(
    *, session: AsyncSession, case_id: str, page: PageParams
) -> tuple[list[CaseAttachment], int]:
    query = (
        select(CaseAttachment)
        .where(CaseAttachment.case_id == case_id)
        .order_by(CaseAttachment.uploaded_at, CaseAttachment.id)
    )
    return await fetch_page(session, query, page)


async def get_attachment(
    *, session: AsyncSession, case_id: str, attachment_id: str
) -> CaseAttachment:
    row = await session.get(CaseAttachment, attachment_id)
    if row is None or row.case_id != case_id:
        raise not_found("attachment", attachment_id)
    return row


async def remove(*, session: AsyncSession, store: FileStore, attachment: CaseAttachment) -> None:
    """The file goes first: a failure after it leaves a row whose download says the file is
    gone, never a file of a person without its row."""
    await store.delete(attachment.id)
    await session.delete(attachment)
    await session.commit()


async def erase(*, session: AsyncSession, store: FileStore, case_id: str) -> None:
    """Part of the case's erasure (``cases.erasure``): every file of the case leaves the
    store, then its rows go in the erasure's transaction. Deleting a missing file is no
    error, so an erasure repeated after a failed commit finishes the job."""
    keys = await session.scalars(select(CaseAttachment.id).where(CaseAttachment.case_id == case_id))
    for key in keys:
        await store.delete(key)
    await session.execute(delete(CaseAttachment).where(CaseAttachment.case_id == case_id))
