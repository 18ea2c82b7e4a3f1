"""The district's volunteer pools (mentors, integration guides, lay interpreters): the list
by role, language and place, and a new volunteer. Case managers only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.case_labels import VOLUNTEER_ROLES
from services.web.csrf import CheckedForm
from services.web.deps import CaseManagerDep, View
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.labels import LANGUAGES
from services.web.pages.case_commands import languages, text
from services.web.pages.case_file import refusal
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()
FIELDS = ("name", "role", "volunteer_languages", "place", "availability", "contact")


async def _pools(
    request: Request,
    view: View,
    *,
    kept: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    query = request.query_params
    filters = {
        "role": query.get("role") if query.get("role") in VOLUNTEER_ROLES else "",
        "language": query.get("language") if query.get("language") in LANGUAGES else "",
        "place": query.get("place", "").strip()[:100],
    }
    found = await view.api.get(
        "cases",
        "/volunteers",
        {**filters, "limit": PAGE_SIZE, "offset": offset_of(query.get("offset"))},
    )
    return page(
        request, "pages/cases/volunteers.html", status_code=status_code,
        title=N_("Volunteer pools"), found=found, filters=filters,
        base_query=base_query(filters), kept=kept or {}, errors=errors or FormErrors(),
    )  # fmt: skip


@router.get("/volunteers")
async def pools(request: Request, view: CaseManagerDep) -> Response:
    return await _pools(request, view)


@router.post("/volunteers")
async def add_volunteer(request: Request, view: CaseManagerDep, form: CheckedForm) -> Response:
    kept = {name: text(form, name) for name in FIELDS}
    errors = FormErrors()
    if kept["role"] not in VOLUNTEER_ROLES:
        errors.add("role", N_("Choose the volunteer's role."))
    body: dict[str, Any] = {
        name: kept[name] or None for name in FIELDS if name != "volunteer_languages"
    }
    body["languages"] = languages(kept["volunteer_languages"], errors, "volunteer_languages")
    if errors:
        return await _pools(request, view, kept=kept, errors=errors, status_code=422)
    try:
        await view.api.post("cases", "/volunteers", body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        found = refusal(exc, FIELDS, {"languages": "volunteer_languages"})
        return await _pools(request, view, kept=kept, errors=found, status_code=exc.status)
    return view.redirect("/volunteers", flash=N_("The volunteer is added to the pool."))
