"""The applicant's pages: the organisation's applications and a new application."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import ApplicantDep, View
from services.web.forms import FORM, FormErrors, from_problem
from services.web.i18n import N_
from services.web.labels import STAGES
from services.web.pages import eligibility
from services.web.pages.application_form import ApplicationForm, from_form
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()


@router.get("/applications")
async def my_applications(request: Request, view: ApplicantDep) -> Response:
    stage = request.query_params.get("stage", "")
    stage = stage if stage in STAGES else ""
    found = await view.api.get(
        "applications",
        "/applications",
        {
            "stage": stage,
            "limit": PAGE_SIZE,
            "offset": offset_of(request.query_params.get("offset")),
        },
    )
    return page(
        request,
        "pages/applicant/list.html",
        title=N_("My applications"),
        found=found,
        stage=stage,
        base_query=base_query({"stage": stage}),
    )


async def form_page(
    request: Request,
    view: View,
    form: ApplicationForm,
    errors: FormErrors,
    *,
    status_code: int = 200,
    form_key: str | None = None,
    revising: str | None = None,
) -> Response:
    """The form; ``revising`` the id of the application whose changes were requested."""
    org_id = view.web.organisation_id or "-"
    round_ = await view.api.get("applications", f"/rounds/{form.round_id}")
    priorities = await view.api.get("applications", "/priorities")
    organisation = await view.api.get("applications", f"/organisations/{org_id}")
    return page(
        request,
        "pages/applicant/form.html",
        status_code=status_code,
        title=N_("Revise the application") if revising else N_("New application"),
        revising=revising,
        form_action=f"/applications/{revising}/revise" if revising else "/applications/new",
        round=round_,
        organisation=organisation,
        choices=eligibility.choices(round_, priorities, organisation),
        form=form,
        errors=errors,
        form_key=form_key or secrets.token_urlsafe(16),
    )


@router.get("/applications/new")
async def new_application(request: Request, view: ApplicantDep) -> Response:
    round_id = request.query_params.get("round", "")
    if round_id:
        return await form_page(request, view, ApplicationForm(round_id=round_id), FormErrors())
    rounds = [r for r in await view.api.get("applications", "/rounds") if r["status"] == "open"]
    return page(request, "pages/applicant/rounds.html", title=N_("New application"), rounds=rounds)


@router.post("/applications/new")
async def create_application(request: Request, view: ApplicantDep, form: CheckedForm) -> Response:
    draft, action = from_form(form)
    key = str(form.get("form_key", ""))[:64] or None
    if action not in ("save", "submit"):
        return await form_page(request, view, draft, FormErrors(), form_key=key)
    errors = FormErrors()
    if not draft.priority_code:
        errors.add("priority_code", N_("Choose the funding priority."))
    body = draft.body(view.web.organisation_id or "-", view.language, errors)
    if errors:
        return await form_page(request, view, draft, errors, status_code=422, form_key=key)
    try:
        created: dict[str, Any] = await view.api.post(
            "applications", "/applications", body, idempotency_key=key
        )
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        errors = from_problem(exc.errors, draft.field_names())
        if not errors:
            errors.add(FORM, exc.detail)
        return await form_page(request, view, draft, errors, status_code=exc.status, form_key=key)
    target = f"/applications/{created['id']}"
    if action == "submit":
        try:
            await view.api.post("applications", f"{target}/submit")
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            view.web.flash = N_("The draft is saved, but it could not be submitted yet.")
            return view.redirect(target)
        return view.redirect(target, flash=N_("The application is submitted."))
    return view.redirect(target, flash=N_("The draft is saved."))
