"""The case file on one page: the person, consent, assessment, plan, referrals, volunteers
and interpreter bookings, the employment track, placement, check-ins and history, with the
case manager's commands beside them.

The cases API decides who sees a case (its holder and those it is shared with); anyone else
gets 404 from it, shown here as "page not found". A refused command (409, 422) comes back to
this page with the API's message at the form that sent it and what was typed kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.case_labels import VOLUNTEER_ROLES
from services.web.deps import CaseManagerDep, View
from services.web.forms import FORM, FormErrors, field_name, from_problem
from services.web.pages.application import checked_id
from services.web.pages.case_specialist_days import specialist_days
from services.web.render import page

router = APIRouter()
OPEN_STAGES = frozenset({"intake", "in_progress", "placed", "follow_up"})


async def _offers(view: View) -> list[dict[str, Any]]:
    found = await view.api.get("cases", "/offers", {"limit": 200})
    return list(found["items"])


async def _matches(view: View, path: str, role: str) -> list[tuple[str, str]]:
    """Volunteers of ``role`` who speak one of the person's languages, as select options."""
    found = await view.api.get("cases", path + "/volunteer-matches", {"role": role})
    return [
        (m["volunteer"]["id"], f"{m['volunteer']['name']}, {m['volunteer']['place']} "
         f"({', '.join(m['shared_languages'])})")
        for m in found
    ]  # fmt: skip


async def _volunteer_names(view: View) -> dict[str, str]:
    found = await view.api.get("cases", "/volunteers", {"limit": 200})
    return {v["id"]: v["name"] for v in found["items"]}


async def show_case(
    request: Request,
    view: View,
    case_id: str,
    *,
    failed: str | None = None,
    errors: FormErrors | None = None,
    kept: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The page; ``failed`` names the form whose refusal ``errors`` holds."""
    path = f"/cases/{checked_id(case_id)}"
    case: dict[str, Any] = await view.api.get("cases", path)
    volunteers, bookings, steps, offers, files = await asyncio.gather(
        view.api.get("cases", path + "/volunteers"),
        view.api.get("cases", path + "/interpreter-bookings"),
        view.api.get("cases", path + "/employment"),
        _offers(view),
        view.api.get("cases", path + "/attachments"),
    )
    role = request.query_params.get("match")
    matches = await _matches(view, path, role) if role in VOLUNTEER_ROLES else []
    names = await _volunteer_names(view) if volunteers else {}
    days = await specialist_days(view, case["id"]) if case["stage"] in OPEN_STAGES else []
    interpreters = [
        (v["volunteer_id"], names.get(v["volunteer_id"], v["volunteer_id"]))
        for v in volunteers
        if v["role"] == "lay_interpreter"
    ]
    return page(
        request,
        "pages/cases/file.html",
        status_code=status_code,
        title_text=case["file_number"],
        case=case,
        holder=case["case_manager"] == view.web.user,
        is_open=case["stage"] in OPEN_STAGES,
        volunteers=volunteers,
        bookings=bookings,
        steps=steps,
        files=files["items"],
        offer_options=[
            (o["id"], f"{o['name']} \u2013 {o['provider']}, {o['place']}") for o in offers
        ],
        match_role=role if role in VOLUNTEER_ROLES else "",
        matches=matches,
        volunteer_names=names,
        interpreters=interpreters,
        specialist_days=days,
        day_options=[
            (d["id"], d["title"])
            for d in days or []
            if d["mine"] is None and d["stage"] == "registration_open"
        ],
        failed=failed,
        errors=errors or FormErrors(),
        kept=kept or {},
    )


@router.get("/cases/{case_id}")
async def case_page(request: Request, case_id: str, view: CaseManagerDep) -> Response:
    return await show_case(request, view, case_id)


def refusal(exc: ApiError, fields: tuple[str, ...], aliases: Mapping[str, str]) -> FormErrors:
    """The API's 409 or 422 at the form's fields; ``aliases`` maps the API's field names to
    the form's where a page has two forms with the same field (share, transfer)."""
    if exc.status == 409:
        found = FormErrors()
        found.add(FORM, exc.detail)
        return found
    renamed = []
    for error in exc.errors:
        name = field_name(error.get("loc", ()))
        renamed.append({**error, "loc": ["body", aliases.get(name, name)]})
    found = from_problem(renamed, fields)
    if not found:
        found.add(FORM, exc.detail)
    return found


async def case_command(
    request: Request,
    view: View,
    case_id: str,
    *,
    name: str,
    path: str,
    body: dict[str, Any] | None,
    done: str,
    kept: Mapping[str, Any] | None = None,
    fields: tuple[str, ...] = (),
    aliases: Mapping[str, str] | None = None,
    errors: FormErrors | None = None,
) -> Response:
    """Send one command on the case; on success back to the case file with ``done``, else
    the case file with the refusal at form ``name``."""
    target = f"/cases/{checked_id(case_id)}"
    if errors:
        return await show_case(
            request, view, case_id, failed=name, errors=errors, kept=kept, status_code=422
        )
    try:
        await view.api.post("cases", target + path, body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        found = refusal(exc, fields, aliases or {})
        return await show_case(
            request, view, case_id, failed=name, errors=found, kept=kept, status_code=exc.status
        )
    return view.redirect(target, flash=done)
