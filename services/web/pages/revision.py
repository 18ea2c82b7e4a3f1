"""The revised application after changes were requested: the same form, filled with the
current content, sent to ``POST /applications/{id}/resubmit`` (a new revision)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import ApplicantDep
from services.web.forms import FORM, FormErrors, from_problem
from services.web.i18n import N_, amount_input
from services.web.pages.applicant import form_page
from services.web.pages.application import checked_id
from services.web.pages.application_form import (
    AMOUNT_FIELDS,
    TEXT_FIELDS,
    ApplicationForm,
    CostRow,
    from_form,
)

router = APIRouter()


def current_form(application: dict[str, Any], language: str) -> ApplicationForm:
    values = {name: str(application.get(name) or "") for name in TEXT_FIELDS}
    values |= {name: amount_input(application.get(name), language) for name in AMOUNT_FIELDS}
    rows = [
        CostRow(
            category=str(line.get("category", "other")),
            description=str(line.get("description", "")),
            amount=amount_input(line.get("amount"), language),
        )
        for line in application.get("cost_lines", [])
    ]
    return ApplicationForm(
        round_id=str(application["round_id"]),
        priority_code=str(application["priority_code"]),
        values=values,
        rows=rows or [CostRow()],
    )


@router.get("/applications/{application_id}/revise")
async def revise_form(request: Request, application_id: str, view: ApplicantDep) -> Response:
    path = f"/applications/{checked_id(application_id)}"
    application = await view.api.get("applications", path)
    draft = current_form(application, view.language)
    return await form_page(request, view, draft, FormErrors(), revising=application_id)


@router.post("/applications/{application_id}/revise")
async def resubmit(
    request: Request, application_id: str, view: ApplicantDep, form: CheckedForm
) -> Response:
    target = f"/applications/{checked_id(application_id)}"
    draft, action = from_form(form)
    if action != "submit":
        return await form_page(request, view, draft, FormErrors(), revising=application_id)
    errors = FormErrors()
    body = draft.body("-", view.language, errors)
    for name in ("organisation_id", "round_id", "priority_code"):
        body.pop(name)
    if not errors:
        try:
            await view.api.post("applications", f"{target}/resubmit", body)
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            errors = from_problem(exc.errors, draft.field_names()) or FormErrors(
                {FORM: [exc.detail]}
            )
        else:
            return view.redirect(target, flash=N_("The revised application is submitted."))
    return await form_page(request, view, draft, errors, status_code=422, revising=application_id)
