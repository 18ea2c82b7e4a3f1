"""HTTP routes of attachments: on the application, on interim report *n* and on the final
report, each with upload (``multipart/form-data``), list, download and removal.

Uploads and removals: the applicant organisation or a programme officer acting for it
(``ApplicantSide``); lists and downloads: whoever may read the application (``AppReader``),
each download written to the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from starlette.responses import StreamingResponse

from services.applications.access import ApplicantSide, AppReader
from services.applications.applications.queries import get_application
from services.applications.attachments import queries, service
from services.applications.attachments.schemas import AttachmentOut
from services.applications.attachments.service import (
    APPLICATION,
    FINAL_REPORT,
    Place,
    interim_report,
)
from shared.audit import PersonalDataRead
from shared.deps import SessionDep, SettingsDep
from shared.files.deps import FileStoreDep
from shared.files.download import DOWNLOAD_OPENAPI, file_response, repeated_upload
from shared.files.upload import UPLOAD_OPENAPI, received_upload
from shared.limits import UploadRoute
from shared.pagination import Page, PageDep

PREFIX = "/applications/{application_id}"
router = APIRouter(prefix=PREFIX, tags=["attachments"])
uploads = APIRouter(prefix=PREFIX, tags=["attachments"], route_class=UploadRoute)

ReportNumber = Annotated[int, Path(ge=1, le=20)]
REPEATED = repeated_upload(AttachmentOut)
AttachmentId = Annotated[str, Path(max_length=36)]


async def _upload(
    place: Place,
    application_id: str,
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    store: FileStoreDep,
    user: str,
) -> AttachmentOut:
    application = await get_application(session=session, application_id=application_id)
    await service.check_open(session=session, application=application, place=place)
    limit = settings.attachment_max_bytes
    async with received_upload(request, staging=store.staging, max_bytes=limit) as upload:
        row, created = await service.attach(
            session=session,
            store=store,
            application=application,
            place=place,
            upload=upload,
            user=user,
        )
    if not created:
        response.status_code = status.HTTP_200_OK
    return AttachmentOut.of(row)


async def _list(
    place: Place, application_id: str, session: SessionDep, page: PageDep
) -> Page[AttachmentOut]:
    rows, total = await queries.list_attachments(
        session=session,
        application_id=application_id,
        target=place.target,
        report_number=place.report_number,
        page=page,
    )
    items = [AttachmentOut.of(row) for row in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


async def _download(
    place: Place, application_id: str, attachment_id: str, session: SessionDep, store: FileStoreDep
) -> StreamingResponse:
    row = await queries.get_attachment(
        session=session,
        application_id=application_id,
        target=place.target,
        report_number=place.report_number,
        attachment_id=attachment_id,
    )
    return await file_response(
        store=store, key=row.id, file_name=row.file_name, media_type=row.media_type, size=row.size
    )


async def _remove(
    place: Place, application_id: str, attachment_id: str, session: SessionDep, store: FileStoreDep
) -> None:
    row = await queries.get_attachment(
        session=session,
        application_id=application_id,
        target=place.target,
        report_number=place.report_number,
        attachment_id=attachment_id,
    )
    application = await get_application(session=session, application_id=application_id)
    await service.remove(
        session=session, store=store, application=application, place=place, attachment=row
    )


# -- the application ---------------------------------------------------------------------


@uploads.post("/attachments", status_code=201, openapi_extra=UPLOAD_OPENAPI, responses=REPEATED)
async def attach_to_application(
    application_id: str,
    request: Request,
    response: Response,
    actor: ApplicantSide,
    session: SessionDep,
    settings: SettingsDep,
    store: FileStoreDep,
) -> AttachmentOut:
    """Attach a document (e.g. the cost plan's evidence) while the application is a draft
    or changes are requested."""
    return await _upload(
        APPLICATION, application_id, request, response, session, settings, store, actor.user
    )


@router.get("/attachments")
async def list_application_attachments(
    application_id: str, _: AppReader, session: SessionDep, page: PageDep
) -> Page[AttachmentOut]:
    return await _list(APPLICATION, application_id, session, page)


@router.get(
    "/attachments/{attachment_id}",
    dependencies=[PersonalDataRead],
    response_class=StreamingResponse,
    responses=DOWNLOAD_OPENAPI,
)
async def download_application_attachment(
    application_id: str,
    attachment_id: AttachmentId,
    _: AppReader,
    session: SessionDep,
    store: FileStoreDep,
) -> StreamingResponse:
    return await _download(APPLICATION, application_id, attachment_id, session, store)


@router.delete("/attachments/{attachment_id}", status_code=204)
async def remove_application_attachment(
    application_id: str,
    attachment_id: AttachmentId,
    _: ApplicantSide,
    session: SessionDep,
    store: FileStoreDep,
) -> None:
    await _remove(APPLICATION, application_id, attachment_id, session, store)


# -- interim reports (Zwischennachweis) ------------------------------------------------------


@uploads.post(
    "/interim-reports/{number}/attachments",
    status_code=201,
    openapi_extra=UPLOAD_OPENAPI,
    responses=REPEATED,
)
async def attach_to_interim_report(
    application_id: str,
    number: ReportNumber,
    request: Request,
    response: Response,
    actor: ApplicantSide,
    session: SessionDep,
    settings: SettingsDep,
    store: FileStoreDep,
) -> AttachmentOut:
    """Attach a document (Sachbericht, receipts) to interim report ``number`` before it is
    submitted, during the funding period."""
    place = interim_report(number)
    return await _upload(
        place, application_id, request, response, session, settings, store, actor.user
    )


@router.get("/interim-reports/{number}/attachments")
async def list_interim_report_attachments(
    application_id: str, number: ReportNumber, _: AppReader, session: SessionDep, page: PageDep
) -> Page[AttachmentOut]:
    return await _list(interim_report(number), application_id, session, page)


@router.get(
    "/interim-reports/{number}/attachments/{attachment_id}",
    dependencies=[PersonalDataRead],
    response_class=StreamingResponse,
    responses=DOWNLOAD_OPENAPI,
)
async def download_interim_report_attachment(
    application_id: str,
    number: ReportNumber,
    attachment_id: AttachmentId,
    _: AppReader,
    session: SessionDep,
    store: FileStoreDep,
) -> StreamingResponse:
    place = interim_report(number)
    return await _download(place, application_id, attachment_id, session, store)


@router.delete("/interim-reports/{number}/attachments/{attachment_id}", status_code=204)
async def remove_interim_report_attachment(
    application_id: str,
    number: ReportNumber,
    attachment_id: AttachmentId,
    _: ApplicantSide,
    session: SessionDep,
    store: FileStoreDep,
) -> None:
    await _remove(interim_report(number), application_id, attachment_id, session, store)


# -- the final report (Verwendungsnachweis) --------------------------------------------------


@uploads.post(
    "/final-report/attachments", status_code=201, openapi_extra=UPLOAD_OPENAPI, responses=REPEATED
)
async def attach_to_final_report(
    application_id: str,
    request: Request,
    response: Response,
    actor: ApplicantSide,
    session: SessionDep,
    settings: SettingsDep,
    store: FileStoreDep,
) -> AttachmentOut:
    """Attach a document (Sachbericht, receipts) to the final report before it is
    submitted, or while corrections are requested."""
    return await _upload(
        FINAL_REPORT, application_id, request, response, session, settings, store, actor.user
    )


@router.get("/final-report/attachments")
async def list_final_report_attachments(
    application_id: str, _: AppReader, session: SessionDep, page: PageDep
) -> Page[AttachmentOut]:
    return await _list(FINAL_REPORT, application_id, session, page)


@router.get(
    "/final-report/attachments/{attachment_id}",
    dependencies=[PersonalDataRead],
    response_class=StreamingResponse,
    responses=DOWNLOAD_OPENAPI,
)
async def download_final_report_attachment(
    application_id: str,
    attachment_id: AttachmentId,
    _: AppReader,
    session: SessionDep,
    store: FileStoreDep,
) -> StreamingResponse:
    return await _download(FINAL_REPORT, application_id, attachment_id, session, store)


@router.delete("/final-report/attachments/{attachment_id}", status_code=204)
async def remove_final_report_attachment(
    application_id: str,
    attachment_id: AttachmentId,
    _: ApplicantSide,
    session: SessionDep,
    store: FileStoreDep,
) -> None:
    await _remove(FINAL_REPORT, application_id, attachment_id, session, store)
