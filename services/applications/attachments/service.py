"""Attaching and removing files: the applicant organisation (or a programme officer acting
for it) adds documents while the place they belong to is still open, and removes them
under the same condition. Once the application, or the report, is submitted its
attachments are part of the record and stay.

- the application itself: in ``draft`` and ``changes_requested``;
- interim report *n*: while the funding period is ``active`` and report *n* is not submitted;
- the final report (Verwendungsnachweis): ``active`` and ``report_corrections``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.models import Application, ApplicationDocument
from services.applications.attachments.models import ApplicationAttachment
from services.applications.attachments.schemas import AttachmentTarget
from shared.contracts.grants import ApplicationStage
from shared.files.store import FileStore, commit_with_file
from shared.files.upload import Upload
from shared.problems import stage_conflict

_DRAFTING = frozenset({ApplicationStage.draft, ApplicationStage.changes_requested})
_FINAL_REPORT_OPEN = frozenset({ApplicationStage.active, ApplicationStage.report_corrections})


@dataclass(frozen=True)
class Place:
    """Where on an application an attachment belongs."""

    target: AttachmentTarget
    report_number: int = 0


APPLICATION = Place(AttachmentTarget.application)
FINAL_REPORT = Place(AttachmentTarget.final_report)


def interim_report(number: int) -> Place:
    return Place(AttachmentTarget.interim_report, number)


async def check_open(*, session: AsyncSession, application: Application, place: Place) -> None:
    """409 unless attachments of ``place`` may still be added or removed."""
    stage = application.stage
    match place.target:
        case AttachmentTarget.application:
            open_ = stage in _DRAFTING
            what = "the application can change only as a draft or while changes are requested"
        case AttachmentTarget.interim_report:
            open_ = stage == ApplicationStage.active and not await _submitted(
                session, application.id, place.report_number
            )
            what = f"interim report {place.report_number} is submitted or not due in this stage"
        case AttachmentTarget.final_report:
            open_ = stage in _FINAL_REPORT_OPEN
            what = "the final report can change only in the funding period or for corrections"
    if not open_:
        raise stage_conflict(f"Attachments cannot change now: {what} (stage {stage}).")


async def _submitted(session: AsyncSession, application_id: str, number: int) -> bool:
    found = await session.scalar(
        select(ApplicationDocument.id).where(
            ApplicationDocument.application_id == application_id,
            ApplicationDocument.kind == "interim_report",
            ApplicationDocument.ref == str(number),
        )
    )
    return found is not None


async def attach(
    *,
    session: AsyncSession,
    store: FileStore,
    application: Application,
    place: Place,
    upload: Upload,
    user: str,
) -> tuple[ApplicationAttachment, bool]:
    """The attachment for ``upload`` and whether it is new (the same file at the same
    place is kept once: a repeated upload returns the first). The stage is read again,
    locked (PostgreSQL), now that the file is in: a submission that came meanwhile wins."""
    await session.refresh(application, with_for_update=True)
    await check_open(session=session, application=application, place=place)
    existing = await session.scalar(
        select(ApplicationAttachment).where(
            ApplicationAttachment.application_id == application.id,
            ApplicationAttachment.target == place.target.value,
            ApplicationAttachment.report_number == place.report_number,
            ApplicationAttachment.sha256 == upload.sha256,
        )
    )
    if existing is not None:
        return existing, False
    row = ApplicationAttachment(
        id=str(uuid.uuid4()),
        application_id=application.id,
        target=place.target.value,
        report_number=place.report_number,
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


async def remove(
    *,
    session: AsyncSession,
    store: FileStore,
    application: Application,
    place: Place,
    attachment: ApplicationAttachment,
) -> None:
    await check_open(session=session, application=application, place=place)
    await session.delete(attachment)
    await session.commit()
    await store.delete(attachment.id)
