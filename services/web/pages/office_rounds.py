"""The programme office's funding rounds: a new round (window, periods, deadlines, a budget
per priority), opening and closing one. The list with its budgets is in pages/office.py."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import OfficerDep, View
from services.web.forms import FORM, FormErrors, from_problem, plain
from services.web.i18n import N_, parse_amount
from services.web.render import page

router = APIRouter()
ROUND_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
#: the programme's days begin and end in Hesse
HESSE = ZoneInfo("Europe/Berlin")
DATES = ("submission_opens_at", "submission_closes_at", "period_earliest_start",
         "period_latest_end")  # fmt: skip
NUMBERS = ("final_report_months", "report_grace_days", "appeal_window_days", "review_sla_days")
DEFAULTS = {"deadlines-final_report_months": "6", "deadlines-report_grace_days": "28",
            "deadlines-appeal_window_days": "31", "deadlines-review_sla_days": "60",
            "interim_reports": "yes"}  # fmt: skip


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _body(view: View, typed: dict[str, str], codes: list[str]) -> tuple[dict[str, Any], FormErrors]:
    errors = FormErrors()
    body: dict[str, Any] = {"id": typed["id"], "title": typed["title"]}
    for name in DATES:
        day = _day(typed[name])
        if day is None:
            errors.add(name, N_("Enter a date, for example 31.01.2027."))
            continue
        if name == "submission_opens_at":
            body[name] = datetime.combine(day, time(0, 0), HESSE).isoformat()
        elif name == "submission_closes_at":
            body[name] = datetime.combine(day, time(23, 59, 59), HESSE).isoformat()
        else:
            body[name] = day.isoformat()
    deadlines: dict[str, Any] = {"interim_reports": typed.get("interim_reports") == "yes"}
    for name in NUMBERS:
        text = typed[f"deadlines-{name}"]
        if not text.isdigit():
            errors.add(f"deadlines-{name}", N_("Enter a whole number."))
        else:
            deadlines[name] = int(text)
    body["deadlines"] = deadlines
    budgets: dict[str, str] = {}
    for code in codes:
        text = typed[f"budgets-{code}"]
        if not text:
            continue
        amount = parse_amount(text, view.language)
        if amount is None:
            errors.add(f"budgets-{code}", N_("Enter an amount, for example 1234,56."))
        else:
            budgets[code] = str(amount)
    if not budgets and not errors:
        errors.add(FORM, N_("Give a budget for at least one funding priority."))
    body["budgets"] = budgets
    return body, errors


async def _new_page(
    request: Request, view: View, kept: dict[str, str], errors: FormErrors, status_code: int = 200
) -> Response:
    priorities = await view.api.get("applications", "/priorities")
    return page(
        request, "pages/office/round_new.html", status_code=status_code, title=N_("New round"),
        kept=kept, errors=errors, priorities=priorities, dates=DATES, numbers=NUMBERS,
    )  # fmt: skip


@router.get("/office/rounds/new")
async def new_round(request: Request, view: OfficerDep) -> Response:
    return await _new_page(request, view, DEFAULTS, FormErrors())


@router.post("/office/rounds/new")
async def create_round(request: Request, view: OfficerDep, form: CheckedForm) -> Response:
    priorities = await view.api.get("applications", "/priorities")
    codes = [str(p["code"]) for p in priorities]
    names = ["id", "title", *DATES, *(f"deadlines-{n}" for n in NUMBERS),
             *(f"budgets-{c}" for c in codes)]  # fmt: skip
    typed = {name: str(form.get(name, "")).strip() for name in names}
    typed["interim_reports"] = "yes" if form.get("interim_reports") == "yes" else ""
    body, errors = _body(view, typed, codes)
    if errors:
        return await _new_page(request, view, typed, errors, status_code=422)
    try:
        await view.api.post("applications", "/rounds", body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        found = from_problem(exc.errors, names)
        if not found:
            found.add("id" if exc.status == 409 else FORM, plain(exc.detail))
        return await _new_page(request, view, typed, found, status_code=exc.status)
    done = N_("The round is created. Open it to take submissions.")
    return view.redirect("/office/rounds", flash=done)


async def _transition(view: View, round_id: str, step: str, done: str) -> Response:
    if not ROUND_ID.match(round_id) or round_id in {".", ".."}:
        raise HTTPException(404)
    try:
        await view.api.post("applications", f"/rounds/{round_id}/{step}")
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        return view.redirect("/office/rounds", flash=plain(exc.detail))
    return view.redirect("/office/rounds", flash=done)


@router.post("/office/rounds/{round_id}/open")
async def open_round(round_id: str, view: OfficerDep, form: CheckedForm) -> Response:
    return await _transition(view, round_id, "open", N_("The round is open."))


@router.post("/office/rounds/{round_id}/close")
async def close_round(round_id: str, view: OfficerDep, form: CheckedForm) -> Response:
    return await _transition(view, round_id, "close", N_("The round is closed."))
