"""Change requests (Änderungsantrag) on the application page: the applicant asks for an
extension of the funding period or a cost shift, with a reason; the programme office
approves or refuses it. The list comes from the history (services/web/pages/change_list.py)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.csrf import CheckedForm
from services.web.deps import ApplicantDep, OfficerDep
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id, command

router = APIRouter()
KINDS = ("extension", "cost_shift")


@router.post("/applications/{application_id}/change-requests")
async def request_change(
    request: Request, application_id: str, view: ApplicantDep, form: CheckedForm
) -> Response:
    kept = {n: str(form.get(n, "")).strip() for n in ("kind", "new_period_end", "change_reason")}
    errors = FormErrors()
    if kept["kind"] not in KINDS:
        errors.add("kind", N_("Choose one of the options."))
    new_end: str | None = None
    if kept["new_period_end"]:
        try:
            new_end = date.fromisoformat(kept["new_period_end"]).isoformat()
        except ValueError:
            errors.add("new_period_end", N_("Enter a date, for example 31.01.2027."))
    elif kept["kind"] == "extension":
        errors.add("new_period_end", N_("An extension needs the new end of the funding period."))
    if not kept["change_reason"]:
        errors.add("change_reason", N_("Please fill in this field."))
    body = {"kind": kept["kind"], "new_period_end": new_end, "reason": kept["change_reason"]}
    return await command(
        request, view, application_id, name="change", path="/change-requests", body=body,
        done=N_("The change request is sent."), kept=kept, errors=errors,
        fields=("kind", "new_period_end", "change_reason"),
        refused_at=("change_reason", N_("The change cannot be requested now:")),
    )  # fmt: skip


@router.post("/applications/{application_id}/change-requests/{change_id}/decision")
async def decide_change(
    request: Request, application_id: str, change_id: str, view: OfficerDep, form: CheckedForm
) -> Response:
    approve = form.get("approve") == "yes"
    return await command(
        request, view, application_id, name=f"change-{change_id}",
        path=f"/change-requests/{checked_id(change_id)}/decision", body={"approve": approve},
        done=N_("The change is approved.") if approve else N_("The change is refused."),
    )  # fmt: skip
