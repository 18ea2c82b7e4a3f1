"""The programme office: the work queue by stage, the rounds with their budgets, and the
officer's commands on an application (reviewer, payments)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.csrf import CheckedForm
from services.web.deps import OfficerDep
from services.web.i18n import N_
from services.web.labels import STAGES
from services.web.pages.application import checked_id, command
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of, with_organisation_names
from services.web.render import page

router = APIRouter()


@router.get("/office/applications")
async def work_queue(request: Request, view: OfficerDep) -> Response:
    query = request.query_params
    filters = {
        "stage": query.get("stage") if query.get("stage") in STAGES else "",
        "round": query.get("round", "").strip()[:64],
        "priority": query.get("priority", "").strip()[:64],
        "organisation_id": query.get("organisation_id", "").strip()[:36],
        "q": query.get("q", "").strip()[:200],
    }
    found = await view.api.get(
        "applications",
        "/applications",
        {**filters, "limit": PAGE_SIZE, "offset": offset_of(query.get("offset"))},
    )
    found = await with_organisation_names(view, found)
    rounds = await view.api.get("applications", "/rounds")
    priorities = await view.api.get("applications", "/priorities")
    return page(
        request,
        "pages/office/queue.html",
        title=N_("Work queue"),
        found=found,
        filters=filters,
        rounds=rounds,
        priorities=priorities,
        base_query=base_query(filters),
    )


def share(part: Any, whole: Any) -> int:
    """``part`` of ``whole`` in whole percent, 0-100 (for the CSS bar classes)."""
    total = Decimal(str(whole))
    if total <= 0:
        return 0
    return max(0, min(100, int(Decimal(str(part)) * 100 / total)))


@router.get("/office/rounds")
async def rounds(request: Request, view: OfficerDep) -> Response:
    found = await view.api.get("applications", "/rounds")
    priorities = {p["code"]: p for p in await view.api.get("applications", "/priorities")}
    for round_ in found:
        for budget in round_["budgets"]:
            budget["committed_share"] = share(budget["committed"], budget["budget"])
            budget["paid_share"] = share(budget["paid"], budget["budget"])
            entry = priorities.get(budget["priority_code"])
            budget["title"] = entry["title"] if entry else budget["priority_code"]
    return page(request, "pages/office/rounds.html", title=N_("Funding rounds"), rounds=found)


@router.post("/applications/{application_id}/reviewer")
async def assign_reviewer(
    request: Request, application_id: str, view: OfficerDep, form: CheckedForm
) -> Response:
    reviewer = str(form.get("reviewer", "")).strip()
    return await command(
        request, view, application_id, name="reviewer", path="/reviewer",
        body={"reviewer": reviewer}, done=N_("The reviewer is assigned."),
        kept={"reviewer": reviewer}, fields=("reviewer",),
        refused_at=("reviewer", N_("This reviewer may not be assigned:")),
    )  # fmt: skip


@router.post("/applications/{application_id}/payments/{payment_id}/decision")
async def decide_payment(
    request: Request, application_id: str, payment_id: str, view: OfficerDep, form: CheckedForm
) -> Response:
    approve = form.get("approve") == "yes"
    return await command(
        request, view, application_id, name=f"payment-{payment_id}",
        path=f"/payments/{checked_id(payment_id)}/decision", body={"approve": approve},
        done=N_("The payment is released.") if approve else N_("The payment is refused."),
    )  # fmt: skip
