"""The case manager's desk: the caseload (with the person's name for the cases they hold),
the search by name, and intake with consent.

A name is typed into a POST form and never reaches a URL: the search's results are the
answer to that POST, and its pager posts the words again. Names come from the cases API
(one read of each case held, audited there) and are not kept in the web session.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.case_labels import CASE_STAGES, CONSENT_PURPOSES, NEED_AREAS
from services.web.csrf import CheckedForm
from services.web.deps import CaseManagerDep
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.case_commands import languages, text
from services.web.pages.case_file import refusal
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()
NO_CONSENT = N_("Without consent no case is opened: an anonymous counselling contact is recorded.")
PERSON_FIELDS = (
    "person-given_name",
    "person-family_name",
    "person-birth_date",
    "person-phone",
    "person-email",
    "person-address",
    "person-residence_status",
    "person-family_situation",
)


def _names(items: list[dict[str, Any]]) -> dict[str, str]:
    """The person's name of each case in ``items`` the reader holds: the API gives them
    with ``names=true`` (one audited read for the page, not one case file per case)."""
    return {c["id"]: c["person_name"] for c in items if c.get("person_name")}


def _caseload(
    request: Request, found: dict[str, Any], names: dict[str, str], **context: Any
) -> Response:
    return page(
        request, "pages/cases/list.html", title=N_("My cases"), found=found, names=names,
        **context,
    )  # fmt: skip


@router.get("/cases")
async def caseload(request: Request, view: CaseManagerDep) -> Response:
    query = request.query_params
    filters = {"stage": query.get("stage") if query.get("stage") in CASE_STAGES else ""}
    found = await view.api.get(
        "cases",
        "/cases",
        {
            **filters,
            "limit": PAGE_SIZE,
            "offset": offset_of(query.get("offset")),
            "names": "true",
        },
    )
    names = _names(found["items"])
    return _caseload(
        request, found, names, filters=filters, base_query=base_query(filters),
        searched=None, errors=FormErrors(),
    )  # fmt: skip


@router.post("/cases/search")
async def search(request: Request, view: CaseManagerDep, form: CheckedForm) -> Response:
    words = text(form, "q")
    offset = offset_of(str(form.get("offset", "0")))
    errors = FormErrors()
    found: dict[str, Any] = {"items": [], "total": 0, "limit": PAGE_SIZE, "offset": 0}
    if len(words) < 2:
        errors.add("q", N_("Enter at least two letters of the name, or a file number."))
    else:
        try:
            found = await view.api.get(
                "cases",
                "/cases",
                {"q": words[:100], "limit": PAGE_SIZE, "offset": offset, "names": "true"},
            )
        except ApiError as exc:
            if exc.status != 422:
                raise
            errors = refusal(exc, ("q",), {})
    names = _names(found["items"])
    return _caseload(
        request, found, names, filters={"stage": ""}, base_query="", searched=words,
        errors=errors, status_code=422 if errors else 200,
    )  # fmt: skip


def _intake_form(
    request: Request, kept: dict[str, Any], errors: FormErrors, status_code: int = 200
) -> Response:
    return page(
        request, "pages/cases/intake.html", title=N_("Intake"), kept=kept, errors=errors,
        status_code=status_code,
    )  # fmt: skip


@router.get("/cases/new")
async def intake_page(request: Request, view: CaseManagerDep) -> Response:
    kept = {"idempotency_key": str(uuid.uuid4()), "purposes": [], "topics": []}
    return _intake_form(request, kept, FormErrors())


@router.post("/cases/new")
async def intake(request: Request, view: CaseManagerDep, form: CheckedForm) -> Response:
    kept: dict[str, Any] = {name: text(form, name) for name in PERSON_FIELDS}
    kept |= {
        "person-languages": text(form, "person-languages"),
        "consent-given": text(form, "consent-given"),
        "purposes": [p for p in form.getlist("consent-purposes") if p in CONSENT_PURPOSES],
        "topics": [t for t in form.getlist("topics") if t in NEED_AREAS],
        "idempotency_key": text(form, "idempotency_key") or str(uuid.uuid4()),
    }
    errors = FormErrors()
    consent = kept["consent-given"] == "yes"
    if kept["consent-given"] not in ("yes", "no"):
        errors.add("consent-given", N_("Say whether the person consents."))
    elif consent and not kept["purposes"]:
        errors.add("consent-purposes", N_("Choose at least one purpose of the consent."))
    person: dict[str, Any] = {n.removeprefix("person-"): kept[n] or None for n in PERSON_FIELDS}
    person["languages"] = languages(kept["person-languages"], errors, "person-languages")
    body = {
        "person": person,
        "consent": {"given": consent, "purposes": kept["purposes"] if consent else []},
        "topics": kept["topics"],
    }
    if errors:
        return _intake_form(request, kept, errors, 422)
    try:
        answer = await view.api.post(
            "cases", "/cases", body, idempotency_key=kept["idempotency_key"]
        )
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        fields = (*PERSON_FIELDS, "person-languages", "consent-given", "consent-purposes")
        return _intake_form(request, kept, refusal(exc, fields, {}), exc.status)
    if answer.get("kind") == "anonymous_counselling_contact":
        return view.redirect("/cases", flash=NO_CONSENT)
    return view.redirect(f"/cases/{answer['id']}", flash=N_("The case is opened."))
