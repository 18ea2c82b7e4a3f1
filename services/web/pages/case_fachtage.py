"""A case manager registers the case's refugee for one of the coordination office's
specialist days, by case id only (the name never goes to the coordination service), and
cancels that registration; the case file shows the open days (``case_file``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import CaseManagerDep, View
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.case_file import refusal, show_case

router = APIRouter()


async def _send(
    request: Request, view: View, case_id: str, path: str, body: dict[str, str] | None,
    done: str, kept: dict[str, str],
) -> Response:  # fmt: skip
    target = f"/cases/{checked_id(case_id)}"
    # the case must be one this case manager may open: the cases API answers 404 otherwise
    await view.api.get("cases", target)
    try:
        await view.api.post("coordination", path, body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        found = refusal(exc, ("day_id",), {"case_id": "day_id", "kind": "day_id"})
        return await show_case(
            request, view, case_id, failed="fachtag", errors=found, kept=kept,
            status_code=exc.status,
        )  # fmt: skip
    return view.redirect(target + "#specialist-days", flash=done)


@router.post("/cases/{case_id}/specialist-days")
async def register_refugee(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    day_id = str(form.get("day_id", "")).strip()
    kept = {"day_id": day_id}
    if not day_id:
        errors = FormErrors()
        errors.add("day_id", N_("Choose a specialist day."))
        return await show_case(
            request, view, case_id, failed="fachtag", errors=errors, kept=kept, status_code=422
        )
    path = f"/fachtage/{checked_id(day_id)}/participants"
    body = {"kind": "refugee", "case_id": checked_id(case_id)}
    return await _send(
        request, view, case_id, path, body, N_("The person is registered by case id."), kept
    )


@router.post("/cases/{case_id}/specialist-days/{day_id}/{participant_id}/cancellation")
async def cancel_registration(
    request: Request, case_id: str, day_id: str, participant_id: str, view: CaseManagerDep,
    form: CheckedForm,
) -> Response:  # fmt: skip
    path = f"/fachtage/{checked_id(day_id)}/participants/{checked_id(participant_id)}/cancellation"
    return await _send(request, view, case_id, path, None, N_("The registration is cancelled."), {})
