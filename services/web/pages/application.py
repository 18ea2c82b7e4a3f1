"""One application as the signed-in user may see it, and the applicant's commands on it.

Every role that may read the application sees this page; the sections for commands follow
the stage and the reader's roles (the API decides in the end: a refusal, 409 or 422, is
shown at the form that caused it, with what was typed kept).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import ApplicantDep, SignedInDep, View
from services.web.forms import FORM, FormErrors, from_problem, plain
from services.web.i18n import N_, parse_amount
from services.web.pages import attachment_lists, change_list
from services.web.render import page

router = APIRouter()
ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def checked_id(value: str) -> str:
    """An id as the API issues them; anything else is no page (and never reaches a URL)."""
    if not ID.match(value):
        raise HTTPException(404)
    return value


#: stages in which a Bescheid exists
DECIDED = frozenset(
    {
        "approved",
        "rejected",
        "active",
        "report_submitted",
        "report_corrections",
        "reclaim",
        "closed",
    }
)
WITHDRAWABLE = {"submitted", "in_review", "changes_requested"}


async def show(
    request: Request,
    view: View,
    application_id: str,
    *,
    failed: str | None = None,
    errors: FormErrors | None = None,
    kept: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The page; ``failed`` names the command form whose refusal ``errors`` holds."""
    application: dict[str, Any] = await view.api.get(
        "applications", f"/applications/{checked_id(application_id)}"
    )
    priority = await view.api.get("applications", f"/priorities/{application['priority_code']}")
    files = await attachment_lists.lists(view, application)
    return page(
        request,
        "pages/application/detail.html",
        status_code=status_code,
        title_text=application["title"],
        app=application,
        priority=priority,
        files=files,
        changes=change_list.from_history(application["history"]),
        roles=view.web.roles,
        me=view.web.user,
        decided=application["stage"] in DECIDED,
        withdrawable=application["stage"] in WITHDRAWABLE,
        failed=failed,
        errors=errors or FormErrors(),
        kept=kept or {},
    )


@router.get("/applications/{application_id}")
async def application_page(request: Request, application_id: str, view: SignedInDep) -> Response:
    return await show(request, view, application_id)


async def command(
    request: Request,
    view: View,
    application_id: str,
    *,
    name: str,
    path: str,
    body: dict[str, Any] | None,
    done: str,
    kept: dict[str, str] | None = None,
    fields: tuple[str, ...] = (),
    errors: FormErrors | None = None,
    refused_at: tuple[str, str] | None = None,
) -> Response:
    """Send one command; on success back to the page with ``done``, else the page with
    the refusal at form ``name`` (``refused_at``: the field a 409 belongs to, and the words
    that introduce the API's reason there)."""
    target = f"/applications/{checked_id(application_id)}"
    if errors:
        return await show(
            request, view, application_id, failed=name, errors=errors, kept=kept, status_code=422
        )
    try:
        await view.api.post("applications", target + path, body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        found = from_problem(exc.errors, fields)
        if not found or exc.status == 409:
            found = FormErrors()
            field, lead = refused_at if refused_at and exc.status == 409 else (FORM, "")
            if lead:
                found.add(field, lead)
            found.add(field, plain(exc.detail))
        return await show(
            request, view, application_id,
            failed=name, errors=found, kept=kept, status_code=exc.status,
        )  # fmt: skip
    return view.redirect(target, flash=done)


@router.post("/applications/{application_id}/submit")
async def submit(
    request: Request, application_id: str, view: ApplicantDep, form: CheckedForm
) -> Response:
    return await command(
        request, view, application_id, name="submit", path="/submit", body=None,
        done=N_("The application is submitted."),
    )  # fmt: skip


@router.post("/applications/{application_id}/withdraw")
async def withdraw(
    request: Request, application_id: str, view: ApplicantDep, form: CheckedForm
) -> Response:
    reason = str(form.get("withdraw_reason", "")).strip()
    return await command(
        request, view, application_id, name="withdraw", path="/withdraw",
        body={"reason": reason or None}, done=N_("The application is withdrawn."),
        kept={"withdraw_reason": reason}, fields=("withdraw_reason",),
    )  # fmt: skip


@router.post("/applications/{application_id}/appeal-waiver")
async def waive_appeal(
    request: Request, application_id: str, view: ApplicantDep, form: CheckedForm
) -> Response:
    return await command(
        request, view, application_id, name="appeal", path="/appeal-waiver", body=None,
        done=N_("You waived the objection: the decision is final."),
    )  # fmt: skip


@router.post("/applications/{application_id}/appeal")
async def appeal(
    request: Request, application_id: str, view: ApplicantDep, form: CheckedForm
) -> Response:
    return await command(
        request, view, application_id, name="appeal", path="/appeal", body=None,
        done=N_("Your objection (Widerspruch) is lodged; the review reopens."),
    )  # fmt: skip


@router.post("/applications/{application_id}/payments")
async def request_payment(
    request: Request, application_id: str, view: ApplicantDep, form: CheckedForm
) -> Response:
    typed = str(form.get("amount", ""))
    amount = parse_amount(typed, view.language)
    errors = FormErrors()
    if amount is None:
        errors.add("amount", N_("Enter an amount, for example 1234,56."))
    return await command(
        request, view, application_id, name="payment", path="/payments",
        body={"amount": str(amount)}, done=N_("The payment request is sent."),
        kept={"amount": typed}, fields=("amount",), errors=errors,
    )  # fmt: skip


@router.get("/applications/{application_id}/bescheid")
async def bescheid(request: Request, application_id: str, view: SignedInDep) -> Response:
    path = f"/applications/{checked_id(application_id)}/bescheid"
    answer = await view.api.raw("applications", path)
    kind = answer.headers.get("content-type", "text/html; charset=utf-8")
    suffix = "pdf" if "pdf" in kind else "html"
    return Response(
        answer.content,
        media_type=kind,
        headers={
            "Content-Disposition": f'attachment; filename="bescheid-{application_id}.{suffix}"',
            "Cache-Control": "no-store",
        },
    )
