"""The provider's desk: the referrals to its offers (ids, codes and dates: nothing about the
person), accept or decline with reason, record the outcome."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import ProviderDep, View
from services.web.i18n import N_
from services.web.labels import DECLINE_REASONS, OUTCOMES
from services.web.pages.cases import case_id
from services.web.pages.listing import PAGE_SIZE, offset_of
from services.web.render import page

router = APIRouter()


async def _desk(request: Request, view: View, problem: str | None = None) -> Response:
    found = await view.api.get(
        "cases", "/referrals",
        {"limit": PAGE_SIZE, "offset": offset_of(request.query_params.get("offset"))},
    )  # fmt: skip
    offers = await view.api.get(
        "cases", "/offers", {"provider_id": view.web.provider_id, "limit": 200}
    )
    names = {offer["id"]: offer["name"] for offer in offers["items"]}
    return page(
        request, "pages/provider/desk.html", status_code=409 if problem else 200,
        title=N_("Referrals to our offers"), found=found, names=names, problem=problem,
        base_query="",
    )  # fmt: skip


@router.get("/desk")
async def desk(request: Request, view: ProviderDep) -> Response:
    return await _desk(request, view)


async def _answer(
    request: Request, view: View, path: str, body: dict[str, object], done: str
) -> Response:
    try:
        await view.api.post("cases", path, body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        return await _desk(request, view, problem=exc.detail)
    return view.redirect("/desk", flash=done)


@router.post("/desk/{case}/{referral}/response")
async def respond(
    request: Request, case: str, referral: str, view: ProviderDep, form: CheckedForm
) -> Response:
    accepted = form.get("accepted") == "yes"
    reason = str(form.get("decline_reason", ""))
    body: dict[str, object] = {"accepted": accepted}
    if not accepted:
        body["decline_reason"] = reason if reason in DECLINE_REASONS else "other"
    path = f"/cases/{case_id(case)}/referrals/{case_id(referral)}/response"
    done = N_("The referral is accepted.") if accepted else N_("The referral is declined.")
    return await _answer(request, view, path, body, done)


@router.post("/desk/{case}/{referral}/completion")
async def complete(
    request: Request, case: str, referral: str, view: ProviderDep, form: CheckedForm
) -> Response:
    outcome = str(form.get("outcome", ""))
    path = f"/cases/{case_id(case)}/referrals/{case_id(referral)}/completion"
    body: dict[str, object] = {"outcome": outcome if outcome in OUTCOMES else ""}
    return await _answer(request, view, path, body, N_("The outcome is recorded."))
