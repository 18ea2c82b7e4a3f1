"""The programme office's organisations: search by name, a new organisation with its postal
address (a name and type that exist already are said so, with a link to the one there and
the choice to create a different body of that name), an organisation's address."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import OfficerDep, View
from services.web.forms import FORM, FormErrors, from_problem
from services.web.i18n import N_
from services.web.labels import APPLICANT_TYPES
from services.web.pages.application import checked_id
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()
ADDRESS = ("addressee", "street", "postal_code", "city")
FIELDS = ("name", "applicant_type", "population", "contact_email", *ADDRESS)


@router.get("/office/organisations")
async def organisations(request: Request, view: OfficerDep) -> Response:
    q = request.query_params.get("q", "").strip()[:200]
    found = await view.api.get(
        "applications",
        "/organisations",
        {"q": q, "limit": PAGE_SIZE, "offset": offset_of(request.query_params.get("offset"))},
    )
    return page(
        request, "pages/office/organisations.html", title=N_("Organisations"), found=found,
        q=q, base_query=base_query({"q": q}),
    )  # fmt: skip


def _typed(form: Any) -> dict[str, str]:
    return {name: str(form.get(name, "")).strip() for name in (*FIELDS, "distinct_from")}


def _body(typed: dict[str, str], names: tuple[str, ...]) -> dict[str, Any]:
    body: dict[str, Any] = {name: typed[name] or None for name in names}
    if body.get("population") is not None:
        digits = typed["population"].replace(".", "").replace(" ", "")
        body["population"] = int(digits) if digits.isdigit() else typed["population"]
    return body


def _errors(exc: ApiError, fields: tuple[str, ...]) -> FormErrors:
    found = from_problem(exc.errors, fields)
    if not found:
        found.add(FORM, exc.detail)
    return found


def _new_page(
    request: Request, kept: dict[str, str], errors: FormErrors, existing: dict[str, Any] | None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    return page(
        request, "pages/office/organisation_new.html", status_code=status_code,
        title=N_("New organisation"), kept=kept, errors=errors, existing=existing,
        type_options=list(APPLICANT_TYPES.items()),
    )  # fmt: skip


@router.get("/office/organisations/new")
async def new_organisation(request: Request, view: OfficerDep) -> Response:
    return _new_page(request, {}, FormErrors(), None)


@router.post("/office/organisations/new")
async def create_organisation(request: Request, view: OfficerDep, form: CheckedForm) -> Response:
    typed = _typed(form)
    body = _body(typed, FIELDS)
    if form.get("different_body") == "yes" and typed["distinct_from"]:
        body["distinct_from"] = typed["distinct_from"]
    try:
        created = await view.api.post("applications", "/organisations", body)
    except ApiError as exc:
        if exc.status == 409 and exc.problem.get("existing_id"):
            errors = FormErrors()
            errors.add("name", N_("An organisation of this name and kind exists already."))
            existing = {"id": exc.problem["existing_id"], "name": exc.problem.get("existing_name")}
            typed["distinct_from"] = str(existing["id"])
            return _new_page(request, typed, errors, existing, status_code=409)
        if exc.status not in (409, 422):
            raise
        return _new_page(request, typed, _errors(exc, FIELDS), None, status_code=exc.status)
    return view.redirect(
        f"/office/organisations/{created['id']}", flash=N_("The organisation is created.")
    )


async def _show(
    request: Request, view: View, organisation_id: str, *, kept: dict[str, str] | None = None,
    errors: FormErrors | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    organisation = await view.api.get(
        "applications", f"/organisations/{checked_id(organisation_id)}"
    )
    return page(
        request, "pages/office/organisation.html", status_code=status_code,
        title_text=organisation["name"], org=organisation, errors=errors or FormErrors(),
        kept=kept if kept is not None else {n: organisation.get(n) or "" for n in ADDRESS},
    )  # fmt: skip


@router.get("/office/organisations/{organisation_id}")
async def organisation_page(request: Request, organisation_id: str, view: OfficerDep) -> Response:
    return await _show(request, view, organisation_id)


@router.post("/office/organisations/{organisation_id}/address")
async def set_address(
    request: Request, organisation_id: str, view: OfficerDep, form: CheckedForm
) -> Response:
    typed = _typed(form)
    path = f"/organisations/{checked_id(organisation_id)}/address"
    try:
        await view.api.put("applications", path, _body(typed, ADDRESS))
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        return await _show(
            request, view, organisation_id, kept=typed, errors=_errors(exc, ADDRESS),
            status_code=exc.status,
        )  # fmt: skip
    return view.redirect(
        f"/office/organisations/{organisation_id}", flash=N_("The address is saved.")
    )
