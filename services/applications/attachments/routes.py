"""HTTP routes of attachments: on the application, on interim report *n* and on the final
report, each with upload (``multipart/form-data``), list, download and removal.

The four operations are written once and registered for each of the three places
(:func:`_register`); a place's path parameters (the interim report's ``number``) are read by
its own dependency, so every operation keeps its own name, path and OpenAPI entry.

Uploads and removals: the applicant organisation or a programme officer acting for it
(``ApplicantSide``); lists and downloads: whoever may read the application (``AppReader``),
each download written to the audit log."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response, status
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


def _application() -> Place:
    return APPLICATION


def _interim_report(number: ReportNumber) -> Place:
    return interim_report(number)


def _final_report() -> Place:
    return FINAL_REPORT


async def _upload(
    place: Place,
    application_id: str,
    request: Request,
    response: Response,
    actor: ApplicantSide,
    session: SessionDep,
    settings: SettingsDep,
    store: FileStoreDep,
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
            user=actor.user,
        )
    if not created:
        response.status_code = status.HTTP_200_OK
    return AttachmentOut.of(row)


async def _list(
    place: Place, application_id: str, _: AppReader, session: SessionDep, page: PageDep
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
    place: Place,
    application_id: str,
    attachment_id: AttachmentId,
    _: AppReader,
    session: SessionDep,
    store: FileStoreDep,
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
    place: Place,
    application_id: str,
    attachment_id: AttachmentId,
    _: ApplicantSide,
    session: SessionDep,
    store: FileStoreDep,
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


@dataclass(frozen=True)
class _Where:
    """One place attachments belong to, as the routes name it."""

    path: str  # below PREFIX, without "/attachments"
    name: str  # the operations' names: attach_to_<name>, list_<name>_attachments, …
    place: Callable[..., Place]  # reads the place from the path (a dependency)
    upload_doc: str


def _with_place(
    operation: Callable[..., Any], place: Callable[..., Place], name: str
) -> Callable[..., Any]:
    """``operation`` with its first parameter (the place) taken from the ``place``
    dependency, under its own ``name``."""
    PlaceDep = Annotated[Place, Depends(place)]

    async def bound(place: PlaceDep, **kwargs: Any) -> Any:
        return await operation(place, **kwargs)

    signature = inspect.signature(operation)
    parameters = list(signature.parameters.values())
    first = parameters[0].replace(annotation=PlaceDep)
    bound.__signature__ = signature.replace(parameters=[first, *parameters[1:]])  # type: ignore[attr-defined]
    bound.__name__ = name
    return bound


def _register(where: _Where) -> None:
    base = f"{where.path}/attachments"
    item = f"{base}/{{attachment_id}}"
    uploads.add_api_route(
        base,
        _with_place(_upload, where.place, f"attach_to_{where.name}"),
        methods=["POST"],
        status_code=201,
        response_model=AttachmentOut,
        openapi_extra=UPLOAD_OPENAPI,
        responses=REPEATED,
        name=f"attach_to_{where.name}",
        description=where.upload_doc,
    )
    router.add_api_route(
        base,
        _with_place(_list, where.place, f"list_{where.name}_attachments"),
        methods=["GET"],
        response_model=Page[AttachmentOut],
        name=f"list_{where.name}_attachments",
    )
    router.add_api_route(
        item,
        _with_place(_download, where.place, f"download_{where.name}_attachment"),
        methods=["GET"],
        dependencies=[PersonalDataRead],
        response_class=StreamingResponse,
        responses=DOWNLOAD_OPENAPI,
        name=f"download_{where.name}_attachment",
    )
    router.add_api_route(
        item,
        _with_place(_remove, where.place, f"remove_{where.name}_attachment"),
        methods=["DELETE"],
        status_code=204,
        name=f"remove_{where.name}_attachment",
    )


for _where in (
    _Where(
        "",
        "application",
        _application,
        "Attach a document (e.g. the cost plan's evidence) while the application is a draft "
        "or changes are requested.",
    ),
    _Where(
        "/interim-reports/{number}",
        "interim_report",
        _interim_report,
        "Attach a document (Sachbericht, receipts) to interim report ``number`` before it is "
        "submitted, during the funding period.",
    ),
    _Where(
        "/final-report",
        "final_report",
        _final_report,
        "Attach a document (Sachbericht, receipts) to the final report before it is "
        "submitted, or while corrections are requested.",
    ),
):
    _register(_where)
