"""The case manager's pages: the caseload, intake with consent, and the case file with its
commands (assessment, referral, placement).

The person's data travels only in POST bodies and the case page itself: never in a URL,
a log line or this app's tables. The caseload list shows codes and dates, as the API
gives them (a name there would be a read of every case file).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import CaseManagerDep, View
from services.web.forms import FORM, FormErrors, from_problem
from services.web.i18n import N_
from services.web.labels import CASE_STAGES, CONSENT_PURPOSES, LANGUAGES, NEEDS, PLACEMENT_TYPES
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()
ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
PERSON_FIELDS = ("given_name", "family_name", "birth_date", "phone", "email", "address")
NO_CONSENT = N_(
    "Without consent no case was opened; only an anonymous counselling contact is recorded."
)
DUPLICATE = N_(
    "The case is opened. A person of the same name and birth date has a case: is it the same?"
)


def case_id(value: str) -> str:
    if not ID.match(value):
        raise HTTPException(404)
    return value


@router.get("/cases")
async def caseload(request: Request, view: CaseManagerDep) -> Response:
    stage = request.query_params.get("stage", "")
    stage = stage if stage in CASE_STAGES else ""
    found = await view.api.get(
        "cases",
        "/cases",
        {
            "stage": stage,
            "limit": PAGE_SIZE,
            "offset": offset_of(request.query_params.get("offset")),
        },
    )
    tasks = await view.api.get("cases", "/tasks", {"limit": PAGE_SIZE})
    return page(
        request, "pages/cases/list.html", title=N_("My caseload"), found=found, stage=stage,
        base_query=base_query({"stage": stage}), tasks=tasks,
    )  # fmt: skip


@router.post("/tasks/{task}/done")
async def task_done(
    request: Request, task: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    await view.api.post("cases", f"/tasks/{case_id(task)}/done")
    return view.redirect("/cases", flash=N_("The task is done."))


def _intake(request: Request, values: dict[str, Any], errors: FormErrors) -> Response:
    return page(
        request, "pages/cases/intake.html", status_code=422 if errors else 200,
        title=N_("Intake"), values=values, errors=errors,
    )  # fmt: skip


@router.get("/cases/new")
async def intake_form(request: Request, view: CaseManagerDep) -> Response:
    return _intake(request, {"languages": [], "purposes": []}, FormErrors())


@router.post("/cases/new")
async def intake(request: Request, view: CaseManagerDep, form: CheckedForm) -> Response:
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in PERSON_FIELDS}
    values["languages"] = [v for v in form.getlist("languages") if v in LANGUAGES]
    values["purposes"] = [v for v in form.getlist("purposes") if v in CONSENT_PURPOSES]
    values["consent"] = form.get("consent") == "yes"
    person = {k: values[k] for k in PERSON_FIELDS if values[k]}
    person["languages"] = values["languages"]
    consent = {"given": values["consent"], "purposes": values["purposes"]}
    try:
        opened = await view.api.post("cases", "/cases", {"person": person, "consent": consent})
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        known = [*PERSON_FIELDS, "purposes"]
        errors = from_problem(
            [{**e, "loc": [p for p in e.get("loc", []) if p not in ("person", "consent")]}
             for e in exc.errors],
            known,
        ) or FormErrors({FORM: [exc.detail]})  # fmt: skip
        return _intake(request, values, errors)
    if "kind" in opened:  # no consent: an anonymous counselling contact, no case
        return view.redirect("/cases", flash=NO_CONSENT)
    flash = N_("The case is opened.")
    if opened.get("possible_duplicates") or opened.get("possible_duplicates_elsewhere"):
        flash = DUPLICATE
    return view.redirect(f"/cases/{opened['id']}", flash=flash)


async def show_case(
    request: Request, view: View, ident: str, *, failed: str | None = None,
    errors: FormErrors | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    case = await view.api.get("cases", f"/cases/{case_id(ident)}")
    offers = await view.api.get("cases", "/offers", {"limit": 200})
    return page(
        request, "pages/cases/detail.html", status_code=status_code, title=N_("Case file"),
        case=case, failed=failed, errors=errors or FormErrors(),
        offer_options=[(o["id"], f"{o['name']} ({o['provider']})") for o in offers["items"]],
    )  # fmt: skip


@router.get("/cases/{ident}")
async def case_file(request: Request, ident: str, view: CaseManagerDep) -> Response:
    return await show_case(request, view, ident)


async def case_command(
    request: Request, view: View, ident: str, *, name: str, path: str,
    body: dict[str, Any], done: str, fields: tuple[str, ...] = (),
) -> Response:  # fmt: skip
    target = f"/cases/{case_id(ident)}"
    try:
        await view.api.post("cases", target + path, body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        errors = from_problem(exc.errors, fields)
        if not errors or exc.status == 409:
            errors = FormErrors({FORM: [exc.detail]})
        return await show_case(
            request, view, ident, failed=name, errors=errors, status_code=exc.status
        )
    return view.redirect(target, flash=done)


@router.post("/cases/{ident}/assessment")
async def assess(request: Request, ident: str, view: CaseManagerDep, form: CheckedForm) -> Response:
    needs = [v for v in form.getlist("needs") if v in NEEDS]
    return await case_command(
        request, view, ident, name="assessment", path="/assessment",
        body={"needs": needs}, done=N_("The assessment is recorded."), fields=("needs",),
    )  # fmt: skip


@router.post("/cases/{ident}/referrals")
async def refer(request: Request, ident: str, view: CaseManagerDep, form: CheckedForm) -> Response:
    return await case_command(
        request, view, ident, name="referral", path="/referrals",
        body={"offer_id": str(form.get("offer_id", ""))}, done=N_("The referral is sent."),
        fields=("offer_id",),
    )  # fmt: skip


@router.post("/cases/{ident}/placement")
async def place(request: Request, ident: str, view: CaseManagerDep, form: CheckedForm) -> Response:
    kind = str(form.get("placement_type", ""))
    body = {
        "placement_type": kind if kind in PLACEMENT_TYPES else "",
        "employer_or_provider": str(form.get("employer_or_provider", "")).strip(),
        "start_date": str(form.get("start_date", "")),
    }
    return await case_command(
        request, view, ident, name="placement", path="/placement", body=body,
        done=N_("The placement is recorded."),
        fields=("placement_type", "employer_or_provider", "start_date"),
    )  # fmt: skip
