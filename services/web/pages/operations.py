"""Operators and administrators: the audit log of a service with filters, the delivery log
of notifications with re-send, and where the Temporal Web UI and its codec sign-in are."""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import AdminDep, OperatorDep
from services.web.i18n import N_
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()
AUDITED = ("applications", "cases", "notifications")
OUTCOMES = ("ok", "rejected", "denied", "unauthenticated", "failed")
KINDS = ("command", "read", "unauthenticated")
STATUSES = ("pending", "sent", "failed", "suppressed", "cancelled")
TEXT = re.compile(r"^[A-Za-z0-9._@:/-]{1,100}$")


def _text(value: str | None) -> str:
    return value if value and TEXT.match(value) else ""


@router.get("/admin/audit")
async def audit_log(request: Request, view: AdminDep) -> Response:
    query = request.query_params
    service = str(query.get("service") or "")
    service = service if service in AUDITED else "applications"
    filters = {
        "service": service,
        "user": _text(query.get("user")),
        "object_id": _text(query.get("object_id")),
        "kind": query.get("kind") if query.get("kind") in KINDS else "",
        "outcome": query.get("outcome") if query.get("outcome") in OUTCOMES else "",
    }
    asked = {k: v for k, v in filters.items() if k != "service"}
    found = await view.api.get(
        service, "/audit", {**asked, "limit": PAGE_SIZE, "offset": offset_of(query.get("offset"))}
    )
    return page(
        request, "pages/operations/audit.html", title=N_("Audit log"), found=found,
        filters=filters, services=AUDITED, kinds=KINDS, outcomes=OUTCOMES,
        base_query=base_query(filters),
    )  # fmt: skip


async def _deliveries(request: Request, view: OperatorDep, problem: str | None = None) -> Response:
    query = request.query_params
    status = query.get("status") if query.get("status") in STATUSES else ""
    found = await view.api.get(
        "notifications", "/deliveries",
        {"status": status, "limit": PAGE_SIZE, "offset": offset_of(query.get("offset"))},
    )  # fmt: skip
    settings = request.app.state.settings
    return page(
        request, "pages/operations/deliveries.html", status_code=409 if problem else 200,
        title=N_("Delivery log"), found=found, status=status, statuses=STATUSES,
        problem=problem, base_query=base_query({"status": status}),
        temporal_ui=f"http://{settings.host}:{settings.temporal_ui_port}",
        codec_login=f"http://{settings.host}:{settings.codec_port}/login",
    )  # fmt: skip


@router.get("/operator/deliveries")
async def delivery_log(request: Request, view: OperatorDep) -> Response:
    return await _deliveries(request, view)


@router.post("/operator/deliveries/{delivery_id}/resend")
async def resend(
    request: Request, delivery_id: str, view: OperatorDep, form: CheckedForm
) -> Response:
    if not TEXT.match(delivery_id):
        raise HTTPException(404)
    try:
        await view.api.post("notifications", f"/deliveries/{delivery_id}/resend")
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        return await _deliveries(request, view, problem=exc.detail)
    return view.redirect("/operator/deliveries", flash=N_("The delivery is sent again."))
