"""The provider's desk: the referrals to its offers (ids, codes and dates: nothing about the
person), accepting, declining with a reason, and the outcome."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.case_labels import DECLINE_REASONS, REFERRAL_OUTCOMES, REFERRAL_STATUS
from services.web.csrf import CheckedForm
from services.web.deps import ProviderDep, View
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.case_file import refusal
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()


async def _desk(
    request: Request,
    view: View,
    *,
    failed: str | None = None,
    errors: FormErrors | None = None,
    kept: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    query = request.query_params
    status = query.get("status") if query.get("status") in REFERRAL_STATUS else ""
    found = await view.api.get(
        "cases",
        "/referrals",
        {"status": status, "limit": PAGE_SIZE, "offset": offset_of(query.get("offset"))},
    )
    offers = await view.api.get(
        "cases", "/offers", {"provider_id": view.web.provider_id, "limit": 200}
    )
    return page(
        request, "pages/provider/desk.html", status_code=status_code,
        title=N_("Referrals to our offers"), found=found, status=status,
        base_query=base_query({"status": status}),
        offer_names={o["id"]: o["name"] for o in offers["items"]},
        failed=failed, errors=errors or FormErrors(), kept=kept or {}, no_errors=FormErrors(),
    )  # fmt: skip


@router.get("/desk")
async def desk(request: Request, view: ProviderDep) -> Response:
    return await _desk(request, view)


async def _answer(
    request: Request, view: View, case_id: str, referral_id: str, *, path: str,
    body: dict[str, Any], done: str, kept: dict[str, str], errors: FormErrors,
) -> Response:  # fmt: skip
    target = f"/cases/{checked_id(case_id)}/referrals/{checked_id(referral_id)}{path}"
    if not errors:
        try:
            await view.api.post("cases", target, body)
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            errors = refusal(exc, tuple(kept), {})
            return await _desk(
                request, view, failed=referral_id, errors=errors, kept=kept,
                status_code=exc.status,
            )  # fmt: skip
        return view.redirect("/desk", flash=done)
    return await _desk(request, view, failed=referral_id, errors=errors, kept=kept, status_code=422)


@router.post("/desk/referrals/{case_id}/{referral_id}/response")
async def respond(
    request: Request, case_id: str, referral_id: str, view: ProviderDep, form: CheckedForm
) -> Response:
    accepted = form.get("answer") == "accept"
    reason = str(form.get("decline_reason") or form.get(f"decline_reason-{referral_id}") or "")
    errors = FormErrors()
    body: dict[str, Any] = {"accepted": accepted}
    if not accepted:
        if reason not in DECLINE_REASONS:
            errors.add("decline_reason", N_("Choose the reason for declining."))
        body["decline_reason"] = reason
    done = N_("The referral is accepted.") if accepted else N_("The referral is declined.")
    return await _answer(
        request, view, case_id, referral_id, path="/response", body=body, done=done,
        kept={"decline_reason": reason}, errors=errors,
    )  # fmt: skip


@router.post("/desk/referrals/{case_id}/{referral_id}/completion")
async def complete(
    request: Request, case_id: str, referral_id: str, view: ProviderDep, form: CheckedForm
) -> Response:
    outcome = str(form.get("outcome") or form.get(f"outcome-{referral_id}") or "")
    errors = FormErrors()
    if outcome not in REFERRAL_OUTCOMES:
        errors.add("outcome", N_("Choose the outcome."))
    return await _answer(
        request, view, case_id, referral_id, path="/completion", body={"outcome": outcome},
        done=N_("The outcome is recorded."), kept={"outcome": outcome}, errors=errors,
    )  # fmt: skip
