"""Operators and admins: the audit log of each service with filters (admins), the delivery
log with re-send, the dead letters, and the way into the Temporal Web UI and its codec
server's sign-in."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import AdminDep, OperatorDep
from services.web.forms import FORM, FormErrors
from services.web.i18n import N_, ZONE
from services.web.pages.application import checked_id
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()
AUDITED = ("cases", "applications", "notifications")
AUDIT_KINDS = ("command", "read", "unauthenticated")
AUDIT_OUTCOMES = ("ok", "rejected", "denied", "unauthenticated", "failed")
DELIVERY_STATUS = ("pending", "sent", "failed", "suppressed", "cancelled")
CHANNELS = ("email", "webhook")
DEAD_LETTER_LIMITS = (50, 200, 500)


@router.get("/operations/overview")
async def overview(request: Request, view: OperatorDep) -> Response:
    settings = request.app.state.settings
    return page(
        request, "pages/operator/overview.html", title=N_("Operations"),
        temporal_ui=f"http://{settings.host}:{settings.temporal_ui_port}",
        codec_sign_in=f"http://{settings.host}:{settings.codec_port}/login",
    )  # fmt: skip


def _moment(raw: str) -> str:
    """A time typed in a datetime-local field (Berlin time) as ISO 8601 with its offset."""
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=ZONE).isoformat() if raw else ""
    except ValueError:
        return ""


@router.get("/operations/audit")
async def audit(request: Request, view: AdminDep) -> Response:
    query = request.query_params
    service = str(query.get("service")) if query.get("service") in AUDITED else "cases"
    filters: dict[str, str] = {
        "service": service,
        "user": query.get("user", "").strip()[:128],
        "action": query.get("action", "").strip()[:100],
        "object_id": query.get("object_id", "").strip()[:100],
        "kind": str(query.get("kind")) if query.get("kind") in AUDIT_KINDS else "",
        "outcome": str(query.get("outcome")) if query.get("outcome") in AUDIT_OUTCOMES else "",
        "since": query.get("since", "")[:16],
        "until": query.get("until", "")[:16],
    }
    params = {k: v for k, v in filters.items() if k not in ("service", "since", "until")}
    params |= {"since": _moment(filters["since"]), "until": _moment(filters["until"])}
    found = await view.api.get(
        service, "/audit", {**params, "limit": PAGE_SIZE, "offset": offset_of(query.get("offset"))}
    )
    return page(
        request, "pages/operator/audit.html", title=N_("Audit log"), found=found,
        filters=filters, services=AUDITED, kinds=AUDIT_KINDS, outcomes=AUDIT_OUTCOMES,
        base_query=base_query(filters),
    )  # fmt: skip


async def _deliveries(
    request: Request, view: OperatorDep, errors: FormErrors, status_code: int = 200
) -> Response:
    query = request.query_params
    filters = {
        "status": query.get("status") if query.get("status") in DELIVERY_STATUS else "",
        "channel": query.get("channel") if query.get("channel") in CHANNELS else "",
        "recipient": query.get("recipient", "").strip()[:64],
        "event_type": query.get("event_type", "").strip()[:64],
    }
    found = await view.api.get(
        "notifications",
        "/deliveries",
        {**filters, "limit": PAGE_SIZE, "offset": offset_of(query.get("offset"))},
    )
    return page(
        request, "pages/operator/deliveries.html", status_code=status_code,
        title=N_("Delivery log"), found=found, filters=filters, statuses=DELIVERY_STATUS,
        channels=CHANNELS, base_query=base_query(filters), errors=errors,
    )  # fmt: skip


@router.get("/operations/deliveries")
async def deliveries(request: Request, view: OperatorDep) -> Response:
    return await _deliveries(request, view, FormErrors())


@router.post("/operations/deliveries/{delivery_id}/resend")
async def resend(
    request: Request, delivery_id: str, view: OperatorDep, form: CheckedForm
) -> Response:
    try:
        await view.api.post("notifications", f"/deliveries/{checked_id(delivery_id)}/resend")
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        errors = FormErrors()
        errors.add(FORM, exc.detail)
        return await _deliveries(request, view, errors, exc.status)
    return view.redirect("/operations/deliveries", flash=N_("The delivery is queued again."))


@router.get("/operations/dead-letters")
async def dead_letters(request: Request, view: OperatorDep) -> Response:
    query = request.query_params
    consumer = query.get("consumer", "").strip()[:64]
    raw_limit = query.get("limit", "")
    limit = int(raw_limit) if raw_limit.isdigit() and int(raw_limit) in DEAD_LETTER_LIMITS else 50
    letters = await view.api.get(
        "notifications", "/dead-letters", {"consumer": consumer, "limit": limit}
    )
    return page(
        request, "pages/operator/dead_letters.html", title=N_("Dead letters"),
        letters=letters, consumer=consumer, limit=limit, limits=DEAD_LETTER_LIMITS,
    )  # fmt: skip
