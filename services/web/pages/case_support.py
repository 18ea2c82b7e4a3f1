"""The case manager's support commands on a case: a volunteer matched from the pools, a lay
interpreter booked for an appointment and its outcome, a step on the employment track."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.case_labels import STEP_KINDS, STEP_STATUS
from services.web.csrf import CheckedForm
from services.web.deps import CaseManagerDep
from services.web.forms import FormErrors
from services.web.i18n import N_, ZONE
from services.web.pages.application import checked_id
from services.web.pages.case_commands import LANGUAGE, text
from services.web.pages.case_file import case_command

router = APIRouter()


@router.post("/cases/{case_id}/volunteers")
async def assign_volunteer(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    kept = {"volunteer_id": text(form, "volunteer_id")}
    errors = FormErrors()
    if not kept["volunteer_id"]:
        errors.add("volunteer_id", N_("Choose a volunteer."))
    return await case_command(
        request, view, case_id, name="volunteer", path="/volunteers", body=dict(kept),
        done=N_("The volunteer is matched to the case."), kept=kept, fields=("volunteer_id",),
        errors=errors,
    )  # fmt: skip


@router.post("/cases/{case_id}/interpreter-bookings")
async def book_interpreter(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    fields = ("interpreter_id", "appointment_at", "booking_place", "booking_language", "purpose")
    kept = {name: text(form, name) for name in fields}
    errors = FormErrors()
    if not kept["interpreter_id"]:
        errors.add("interpreter_id", N_("Choose a lay interpreter."))
    try:
        moment = datetime.fromisoformat(kept["appointment_at"]).replace(tzinfo=ZONE).isoformat()
    except ValueError:
        moment = ""
        errors.add("appointment_at", N_("Enter the day and time of the appointment."))
    if not LANGUAGE.match(kept["booking_language"]):
        errors.add(
            "booking_language", N_("Enter language codes of two letters, for example ar, fr.")
        )
    body = {
        "volunteer_id": kept["interpreter_id"], "appointment_at": moment,
        "place": kept["booking_place"], "language": kept["booking_language"],
        "purpose": kept["purpose"] or None,
    }  # fmt: skip
    aliases = {"volunteer_id": "interpreter_id", "place": "booking_place",
               "language": "booking_language"}  # fmt: skip
    return await case_command(
        request, view, case_id, name="booking", path="/interpreter-bookings", body=body,
        done=N_("The interpreter is booked."), kept=kept, fields=fields, aliases=aliases,
        errors=errors,
    )  # fmt: skip


@router.post("/cases/{case_id}/interpreter-bookings/{booking_id}/outcome")
async def booking_outcome(
    request: Request, case_id: str, booking_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    took_place = form.get("took_place") == "yes"
    target = f"/cases/{checked_id(case_id)}"
    await view.api.post(
        "cases", f"/interpreter-bookings/{checked_id(booking_id)}/outcome",
        {"took_place": took_place},
    )  # fmt: skip
    return view.redirect(target, flash=N_("The appointment's outcome is recorded."))


@router.post("/cases/{case_id}/employment")
async def add_step(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    fields = ("step_kind", "employer", "step_start", "step_status")
    kept = {name: text(form, name) for name in fields}
    errors = FormErrors()
    if kept["step_kind"] not in STEP_KINDS:
        errors.add("step_kind", N_("Choose the kind of step."))
    body = {
        "kind": kept["step_kind"], "employer": kept["employer"],
        "start_date": kept["step_start"] or None,
        "status": kept["step_status"] if kept["step_status"] in STEP_STATUS else "planned",
    }  # fmt: skip
    return await case_command(
        request, view, case_id, name="employment", path="/employment", body=body,
        done=N_("The step is added to the employment track."), kept=kept, fields=fields,
        aliases={"kind": "step_kind", "start_date": "step_start", "status": "step_status"},
        errors=errors,
    )  # fmt: skip
