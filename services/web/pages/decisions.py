"""The approver's pages: the applications waiting for a decision, and the decision."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.csrf import CheckedForm
from services.web.deps import ApproverDep
from services.web.forms import FormErrors
from services.web.i18n import N_, parse_amount
from services.web.labels import DECISIONS
from services.web.pages.application import command
from services.web.pages.listing import PAGE_SIZE, offset_of
from services.web.render import page

router = APIRouter()


@router.get("/decisions")
async def decision_queue(request: Request, view: ApproverDep) -> Response:
    found = await view.api.get(
        "applications",
        "/applications",
        {
            "stage": "in_review",
            "limit": PAGE_SIZE,
            "offset": offset_of(request.query_params.get("offset")),
        },
    )
    return page(
        request,
        "pages/decision/list.html",
        title=N_("Decisions"),
        found=found,
        base_query="",
    )


@router.post("/applications/{application_id}/decision")
async def decide(
    request: Request, application_id: str, view: ApproverDep, form: CheckedForm
) -> Response:
    decision = str(form.get("decision", ""))
    typed_amount = str(form.get("granted_amount", ""))
    reason = str(form.get("reason", "")).strip()
    errors = FormErrors()
    body: dict[str, Any] = {"decision": decision}
    if decision not in DECISIONS:
        errors.add("decision", N_("Choose a decision."))
    elif decision == "approve":
        amount = parse_amount(typed_amount, view.language)
        if amount is None:
            errors.add("granted_amount", N_("Enter the amount granted, for example 1234,56."))
        body["granted_amount"] = str(amount)
    elif not reason:
        errors.add("reason", N_("Give the reason for this decision."))
    if reason:
        body["reason"] = reason
    return await command(
        request, view, application_id, name="decision", path="/decision", body=body,
        done=N_("The decision is recorded."),
        kept={"decision": decision, "granted_amount": typed_amount, "reason": reason},
        fields=("decision", "granted_amount", "reason"), errors=errors,
    )  # fmt: skip
