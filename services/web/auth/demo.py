"""The local demo sign-in: pick a user, roles and organisation or provider; a token is minted
with the local key as ``wir token`` does. Offered only when no OIDC issuer is configured."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.web.auth.tokens import AuthError, start_session
from services.web.csrf import CheckedForm
from services.web.deps import AnyoneDep
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.render import page
from shared.auth import Role, mint_token

router = APIRouter()
USER_ID = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
PROVIDER_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ROLE_LABELS = {
    Role.applicant: N_("Applicant (contact of an organisation)"),
    Role.programme_officer: N_("Programme officer"),
    Role.reviewer: N_("Reviewer"),
    Role.approver: N_("Approver"),
    Role.case_manager: N_("Case manager"),
    Role.provider: N_("Provider of a service"),
    Role.coordinator: N_("Coordination office"),
    Role.operator: N_("Operator"),
    Role.admin: N_("Administrator"),
}


def _form(request: Request, values: dict[str, object], errors: FormErrors) -> Response:
    return page(
        request,
        "auth/demo.html",
        title=N_("Demo sign-in (local installation only)"),
        status_code=422 if errors else 200,
        values=values,
        errors=errors,
        roles=list(ROLE_LABELS.items()),
    )


@router.get("/sign-in")
async def sign_in_page(request: Request, view: AnyoneDep) -> Response:
    if request.app.state.settings.oidc_issuer:
        return RedirectResponse("/oidc/start", status_code=303)
    return _form(request, {"roles": []}, FormErrors())


@router.post("/sign-in")
async def sign_in(request: Request, view: AnyoneDep, form: CheckedForm) -> Response:
    if request.app.state.settings.oidc_issuer:
        return RedirectResponse("/oidc/start", status_code=303)
    values: dict[str, object] = {
        "user": str(form.get("user", "")).strip(),
        "name": str(form.get("name", "")).strip(),
        "roles": [str(r) for r in form.getlist("roles") if r in Role.__members__],
        "organisation_id": str(form.get("organisation_id", "")).strip(),
        "provider_id": str(form.get("provider_id", "")).strip(),
    }
    errors = FormErrors()
    roles = [Role(r) for r in values["roles"]]  # type: ignore[attr-defined]
    if not USER_ID.match(str(values["user"])):
        errors.add("user", N_("Enter a user id of letters, digits and . _ @ - (at most 64)."))
    if len(str(values["name"])) > 200:
        errors.add("name", N_("This text is too long."))
    if not roles:
        errors.add("roles", N_("Choose at least one role."))
    if Role.applicant in roles and not values["organisation_id"]:
        errors.add("organisation_id", N_("An applicant acts for an organisation: enter its id."))
    if Role.provider in roles and not PROVIDER_ID.match(str(values["provider_id"])):
        errors.add("provider_id", N_("A provider account needs its provider id, e.g. vhs-ohmtal."))
    if errors:
        return _form(request, values, errors)
    settings = request.app.state.settings
    token = mint_token(
        settings,
        user=str(values["user"]),
        roles=roles,
        organisation_id=str(values["organisation_id"]) or None,
        provider_id=str(values["provider_id"]) or None,
        display_name=str(values["name"]) or None,
    )
    try:
        await start_session(request, token, str(values["name"]) or None)
    except AuthError:
        errors.add("user", N_("This sign-in is not valid."))
        return _form(request, values, errors)
    request.state.web.flash = N_("You are signed in.")
    return RedirectResponse("/", status_code=303)
