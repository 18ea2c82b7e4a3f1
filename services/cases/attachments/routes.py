"""HTTP routes of a case's attachments: upload (``multipart/form-data``), list, download
and removal, each by a case manager who holds the case or with whom it is shared. Lists and
downloads are personal-data reads: each writes an audit row."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from starlette.responses import StreamingResponse

from services.cases.access import CaseManager, VisibleCase
from services.cases.attachments import service
from services.cases.attachments.schemas import CaseAttachmentOut
from shared.audit import PersonalDataRead
from shared.deps import SessionDep, SettingsDep
from shared.files.deps import FileStoreDep
from shared.files.download import DOWNLOAD_OPENAPI, file_response, repeated_upload
from shared.files.upload import UPLOAD_OPENAPI, received_upload
from shared.limits import UploadRoute
from shared.pagination import Page, PageDep

PREFIX = "/cases/{case_id}/attachments"
router = APIRouter(prefix=PREFIX, tags=["case attachments"])
uploads = APIRouter(prefix=PREFIX, tags=["case attachments"], route_class=UploadRoute)

REPEATED = repeated_upload(CaseAttachmentOut)
AttachmentId = Annotated[str, Path(max_length=36)]


@uploads.post("", status_code=201, openapi_extra=UPLOAD_OPENAPI, responses=REPEATED)
async def attach_to_case(
    request: Request,
    response: Response,
    case: VisibleCase,
    actor: CaseManager,
    session: SessionDep,
    settings: SettingsDep,
    store: FileStoreDep,
) -> CaseAttachmentOut:
    """Attach a document, e.g. the scan of the signed consent form (not after erasure)."""
    service.check_not_erased(case)
    limit = settings.attachment_max_bytes
    async with received_upload(request, staging=store.staging, max_bytes=limit) as upload:
        row, created = await service.attach(
            session=session, store=store, case=case, upload=upload, user=actor.user
        )
    if not created:
        response.status_code = status.HTTP_200_OK
    return CaseAttachmentOut.of(row)


@router.get("", dependencies=[PersonalDataRead])
async def list_case_attachments(
    case: VisibleCase, session: SessionDep, page: PageDep
) -> Page[CaseAttachmentOut]:
    rows, total = await service.list_attachments(session=session, case_id=case.id, page=page)
    items = [CaseAttachmentOut.of(row) for row in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/{attachment_id}",
    dependencies=[PersonalDataRead],
    response_class=StreamingResponse,
    responses=DOWNLOAD_OPENAPI,
)
async def download_case_attachment(
    attachment_id: AttachmentId, case: VisibleCase, session: SessionDep, store: FileStoreDep
) -> StreamingResponse:
    row = await service.get_attachment(
        session=session, case_id=case.id, attachment_id=attachment_id
    )
    return await file_response(
        store=store, key=row.id, file_name=row.file_name, media_type=row.media_type, size=row.size
    )


@router.delete("/{attachment_id}", status_code=204)
async def remove_case_attachment(
    attachment_id: AttachmentId, case: VisibleCase, session: SessionDep, store: FileStoreDep
) -> None:
    row = await service.get_attachment(
        session=session, case_id=case.id, attachment_id=attachment_id
    )
    await service.remove(session=session, store=store, attachment=row)
