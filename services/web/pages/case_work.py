"""A case manager's tasks by due date, and the district's anonymous figures (case managers
and admins)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import CaseManagerDep, FiguresDep
from services.web.forms import FORM, FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()
TASK_FILTERS = ("open", "done", "any")


@router.get("/tasks")
async def tasks(request: Request, view: CaseManagerDep) -> Response:
    query = request.query_params
    status = query.get("status") if query.get("status") in TASK_FILTERS else "open"
    found = await view.api.get(
        "cases",
        "/tasks",
        {"status": status, "limit": PAGE_SIZE, "offset": offset_of(query.get("offset"))},
    )
    return page(
        request,
        "pages/cases/tasks.html",
        title=N_("My tasks"),
        found=found,
        status=status,
        base_query=base_query({"status": status}),
        errors=FormErrors(),
    )


@router.post("/tasks/{task_id}/done")
async def task_done(
    request: Request, task_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    try:
        await view.api.post("cases", f"/tasks/{checked_id(task_id)}/done")
    except ApiError as exc:
        if exc.status != 409:
            raise
        view.web.flash = None
        errors = FormErrors()
        errors.add(FORM, exc.detail)
        found = await view.api.get("cases", "/tasks", {"limit": PAGE_SIZE})
        return page(
            request, "pages/cases/tasks.html", status_code=409, title=N_("My tasks"),
            found=found, status="open", base_query="status=open&", errors=errors,
        )  # fmt: skip
    return view.redirect("/tasks", flash=N_("The task is done."))


def _day(raw: str | None) -> str:
    try:
        return date.fromisoformat(raw or "").isoformat()
    except ValueError:
        return ""


@router.get("/statistics")
async def statistics(request: Request, view: FiguresDep) -> Response:
    period = {
        "from": _day(request.query_params.get("from")),
        "to": _day(request.query_params.get("to")),
    }
    figures = await view.api.get("cases", "/statistics", period)
    return page(
        request, "pages/cases/statistics.html", title=N_("Statistics of the case management"),
        figures=figures, period=period,
    )  # fmt: skip
