"""Attachments on the application, its interim and final reports, and the case file:
upload, list, download. The file goes on to the API as the reader sent it (spooled to disk
by the form parser, then sent in chunks); downloads come back as the API streams them, with
its Content-Disposition. The API decides what it takes: its 413, 415 or 422 is said at the
file field, the description typed kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask
from starlette.datastructures import FormData, UploadFile

from services.web.api import ApiError
from services.web.csrf import checked_form
from services.web.deps import CaseManagerDep, SignedInDep, View
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages import application as application_page
from services.web.pages import case_file
from services.web.pages.application import checked_id

router = APIRouter()
#: what a multipart form adds around its file (boundaries, part headers, the description)
FORM_ALLOWANCE = 64 * 1024
#: the API's messages on an upload (shared/files/upload.py) in the reader's words
KNOWN = {"a file is required": N_("Choose a file."), "the file is empty": N_("The file is empty.")}


def _refused(exc: ApiError, field: str, limit: int) -> FormErrors:
    errors = FormErrors()
    if exc.status == 413:
        errors.add(field, N_("The file is too large."))
        errors.add(field, view_megabytes(limit))
    elif exc.status == 415:
        errors.add(field, N_("This kind of file is not accepted."))
    else:
        messages = [str(e.get("msg", "")) for e in exc.errors] or [exc.detail]
        for message in messages:
            errors.add(field, KNOWN.get(message, message.removeprefix("Value error, ")))
    return errors


def view_megabytes(limit: int) -> str:
    return f"≤ {limit / (1024 * 1024):.0f} MB"


async def _send(
    request: Request, view: View, service: str, path: str | Callable[[FormData], str], field: str
) -> tuple[FormErrors, str]:
    """Upload the request's file (form field ``field``) to ``path`` (or the path the form
    names) as the API's ``file`` and ``description``; the refusal (if any) and the
    description."""
    limit = request.app.state.settings.attachment_max_bytes
    errors = FormErrors()
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        # browsers say the length of a form; without it the body could grow without end
        raise HTTPException(411)
    if int(length) > limit + FORM_ALLOWANCE:
        # refused before the body is read; the form's CSRF token is not read either, but
        # nothing was done
        errors.add(field, N_("The file is too large."))
        errors.add(field, view_megabytes(limit))
        return errors, ""
    form = await checked_form(request)
    # the form's fields are named after the form (``application-file``, …): several on a page
    description = str(form.get(field.removesuffix("file") + "description", "")).strip()[:500]
    upload = form.get(field)
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.add(field, N_("Choose a file."))
        return errors, description
    try:
        await view.api.upload(
            service, path if isinstance(path, str) else path(form), upload.file, upload.filename,
            upload.content_type or "application/octet-stream", description,
        )  # fmt: skip
    except ApiError as exc:
        if exc.status not in (409, 413, 415, 422):
            raise
        return _refused(exc, field, limit), description
    finally:
        await upload.close()
    return errors, description


async def _upload_to_application(
    request: Request, view: View, application_id: str, api_path: Any, name: str
) -> Response:
    target = f"/applications/{checked_id(application_id)}"
    path = target + api_path if isinstance(api_path, str) else lambda form: target + api_path(form)
    errors, description = await _send(request, view, "applications", path, f"{name}-file")
    if errors:
        return await application_page.show(
            request, view, application_id, failed=name, errors=errors,
            kept={f"{name}-description": description}, status_code=422,
        )  # fmt: skip
    return view.redirect(target, flash=N_("The file is attached."))


@router.post("/applications/{application_id}/attachments")
async def attach(request: Request, application_id: str, view: SignedInDep) -> Response:
    return await _upload_to_application(
        request, view, application_id, "/attachments", "application"
    )


@router.post("/applications/{application_id}/final-report/attachments")
async def attach_final(request: Request, application_id: str, view: SignedInDep) -> Response:
    path = "/final-report/attachments"
    return await _upload_to_application(request, view, application_id, path, "final")


def _report_number(form: FormData) -> str:
    raw = str(form.get("report_number", "1"))
    number = int(raw) if raw.isdigit() else 1
    return f"/interim-reports/{max(1, min(number, 20))}/attachments"


@router.post("/applications/{application_id}/interim-reports/attachments")
async def attach_interim(request: Request, application_id: str, view: SignedInDep) -> Response:
    return await _upload_to_application(request, view, application_id, _report_number, "interim")


async def _download(view: View, service: str, path: str) -> Response:
    answer = await view.api.stream(service, path)
    headers = {"Cache-Control": "no-store"}
    for name in ("content-disposition", "content-length"):
        if name in answer.headers:
            headers[name] = answer.headers[name]
    return StreamingResponse(
        answer.aiter_raw(),
        media_type=answer.headers.get("content-type", "application/octet-stream"),
        headers=headers,
        background=BackgroundTask(answer.aclose),
    )


@router.get("/applications/{application_id}/attachments/{attachment_id}")
async def download(application_id: str, attachment_id: str, view: SignedInDep) -> Response:
    path = f"/applications/{checked_id(application_id)}/attachments/{checked_id(attachment_id)}"
    return await _download(view, "applications", path)


@router.get("/applications/{application_id}/final-report/attachments/{attachment_id}")
async def download_final(application_id: str, attachment_id: str, view: SignedInDep) -> Response:
    path = f"/applications/{checked_id(application_id)}/final-report/attachments/"
    return await _download(view, "applications", path + checked_id(attachment_id))


@router.get("/applications/{application_id}/interim-reports/{number}/attachments/{attachment_id}")
async def download_interim(
    application_id: str, number: int, attachment_id: str, view: SignedInDep
) -> Response:
    path = f"/applications/{checked_id(application_id)}/interim-reports/{number}/attachments/"
    return await _download(view, "applications", path + checked_id(attachment_id))


@router.post("/cases/{case_id}/attachments")
async def attach_to_case(request: Request, case_id: str, view: CaseManagerDep) -> Response:
    target = f"/cases/{checked_id(case_id)}"
    errors, description = await _send(request, view, "cases", target + "/attachments", "case-file")
    if errors:
        return await case_file.show_case(
            request, view, case_id, failed="attachment", errors=errors,
            kept={"case-description": description}, status_code=422,
        )  # fmt: skip
    return view.redirect(target, flash=N_("The file is attached."))


@router.get("/cases/{case_id}/attachments/{attachment_id}")
async def download_from_case(case_id: str, attachment_id: str, view: CaseManagerDep) -> Response:
    path = f"/cases/{checked_id(case_id)}/attachments/{checked_id(attachment_id)}"
    return await _download(view, "cases", path)
