"""The letters of an application passed on as the API gives them, with the reader's token:
the Bescheid as PDF and the Rückforderungsbescheid (HTML and PDF). The HTML Bescheid is
``GET /applications/{id}/bescheid`` in services/web/pages/application.py."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from services.web.deps import SignedInDep
from services.web.pages.application import checked_id

router = APIRouter()


async def _letter(view: SignedInDep, application_id: str, path: str, name: str) -> Response:
    answer = await view.api.raw("applications", f"/applications/{checked_id(application_id)}{path}")
    kind = answer.headers.get("content-type", "text/html; charset=utf-8")
    suffix = "pdf" if "pdf" in kind else "html"
    disposition = answer.headers.get(
        "content-disposition", f'attachment; filename="{name}-{application_id}.{suffix}"'
    )
    return Response(
        answer.content,
        media_type=kind,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


@router.get("/applications/{application_id}/bescheid.pdf")
async def bescheid_pdf(application_id: str, view: SignedInDep) -> Response:
    return await _letter(view, application_id, "/bescheid.pdf", "bescheid")


@router.get("/applications/{application_id}/reclaim-notice")
async def reclaim_notice(application_id: str, view: SignedInDep) -> Response:
    return await _letter(view, application_id, "/reclaim-notice", "rueckforderungsbescheid")


@router.get("/applications/{application_id}/reclaim-notice.pdf")
async def reclaim_notice_pdf(application_id: str, view: SignedInDep) -> Response:
    return await _letter(view, application_id, "/reclaim-notice.pdf", "rueckforderungsbescheid")
