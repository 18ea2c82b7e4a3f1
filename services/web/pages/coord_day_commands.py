"""The office's commands on a specialist day, each one of the API's: send the invitations,
open and close the registration, register a contact person or a member of staff, cancel a
registration, record the attendance, the documentation; call the day off, on a page of its
own with the reason. A refused command comes back to the day's page (the reason to its
page) with the API's words at its form."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import CoordinatorDep, View
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.coord_days import show_day
from services.web.pages.coordination_forms import (
    IDENT,
    SERVICE,
    refused,
    reraise_unless_refusal,
    typed,
)
from services.web.render import page

router = APIRouter()
#: the reason for calling a day off, after trimming (the API's limits)
REASON_MIN, REASON_MAX = 3, 1000
LATE = N_("The day can no longer be called off: it is cancelled, held or documented already.")


async def _command(
    request: Request, view: View, day_id: str, *, name: str, path: str,
    body: dict[str, Any] | None, done: str, kept: dict[str, str] | None = None,
    fields: tuple[str, ...] = (), aliases: dict[str, str] | None = None,
    errors: FormErrors | None = None,
) -> Response:  # fmt: skip
    target = f"/fachtage/{checked_id(day_id)}"
    if not errors:
        try:
            await view.api.post(SERVICE, target + path, body)
        except ApiError as exc:
            reraise_unless_refusal(exc)
            errors = refused(exc, fields, aliases)
    if errors:
        return await show_day(
            request, view, day_id, failed=name, errors=errors, kept=kept, status_code=422
        )
    return view.redirect(f"/coordination/days/{day_id}", flash=done)


@router.post("/coordination/days/{day_id}/invitations")
async def send_invitations(
    request: Request, day_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    chosen = [str(v) for v in form.getlist("actor_ids") if IDENT.match(str(v))]
    errors = FormErrors()
    if not chosen:
        errors.add("actor_ids", N_("Choose at least one institution."))
    return await _command(
        request, view, day_id, name="invitations", path="/invitations",
        body={"actor_ids": chosen}, done=N_("The invitations are sent."),
        fields=("actor_ids",), errors=errors,
    )  # fmt: skip


@router.post("/coordination/days/{day_id}/registration/open")
async def open_registration(
    request: Request, day_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    return await _command(
        request, view, day_id, name="open", path="/registration/open", body=None,
        done=N_("The registration is open."),
    )  # fmt: skip


@router.post("/coordination/days/{day_id}/registration/close")
async def close_registration(
    request: Request, day_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    return await _command(
        request, view, day_id, name="close", path="/registration/close", body=None,
        done=N_("The registration is closed."),
    )  # fmt: skip


@router.post("/coordination/days/{day_id}/participants")
async def register(
    request: Request, day_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    """A contact person (chosen from an institution's) or a member of staff (user id)."""
    kept = typed(form, ("kind", "contact_id", "user_id"))
    kind = kept["kind"] if kept["kind"] in ("contact", "staff") else "staff"
    field = "contact_id" if kind == "contact" else "user_id"
    errors = FormErrors()
    if not IDENT.match(kept[field]):
        errors.add(field, N_("Choose a contact person.") if kind == "contact"
                   else N_("Enter the user id of the member of staff."))  # fmt: skip
    return await _command(
        request, view, day_id, name=kind, path="/participants",
        body={"kind": kind, field: kept[field]}, done=N_("The participant is registered."),
        kept=kept, fields=(field,), errors=errors,
    )  # fmt: skip


@router.post("/coordination/days/{day_id}/participants/{participant_id}/cancellation")
async def cancel(
    request: Request, day_id: str, participant_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    path = f"/participants/{checked_id(participant_id)}/cancellation"
    return await _command(
        request, view, day_id, name="participants", path=path, body=None,
        done=N_("The registration is cancelled."),
    )  # fmt: skip


@router.post("/coordination/days/{day_id}/attendance")
async def record_attendance(
    request: Request, day_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    attended = [str(v) for v in form.getlist("attended") if IDENT.match(str(v))]
    return await _command(
        request, view, day_id, name="attendance", path="/attendance",
        body={"attended": attended}, done=N_("The attendance is recorded."),
        fields=("attended",),
    )  # fmt: skip


@router.post("/coordination/days/{day_id}/documentation")
async def document(
    request: Request, day_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    kept = typed(form, ("documentation",))
    return await _command(
        request, view, day_id, name="documentation", path="/documentation",
        body={"text": kept["documentation"]}, done=N_("The day is documented."), kept=kept,
        fields=("documentation",), aliases={"text": "documentation"},
    )  # fmt: skip


def reason_or_errors(text: str) -> tuple[str, FormErrors]:
    """The reason for calling a day off, trimmed, and what is wrong with it (the API's
    rule: 3 to 1,000 characters after trimming)."""
    reason = text.strip()
    errors = FormErrors()
    if len(reason) < REASON_MIN:
        errors.add("reason", N_("Give the reason in at least 3 characters."))
    elif len(reason) > REASON_MAX:
        errors.add("reason", N_("The reason is at most 1,000 characters long."))
    return reason, errors


def cancellation_refusal(exc: ApiError) -> FormErrors:
    """The API's 409 (the day is cancelled, held or documented already) or 422, at the
    reason field."""
    if exc.status == 409:
        errors = FormErrors()
        errors.add("reason", LATE)
        return errors
    return refused(exc, ("reason",))


async def _cancel_page(
    request: Request, view: View, day_id: str, *, kept: dict[str, str],
    errors: FormErrors, status_code: int = 200,
) -> Response:  # fmt: skip
    day = await view.api.get(SERVICE, f"/fachtage/{checked_id(day_id)}")
    return page(
        request, "pages/coordination/day_cancel.html", status_code=status_code,
        title=N_("Cancel the specialist day"), day=day, kept=kept, errors=errors,
    )  # fmt: skip


@router.get("/coordination/days/{day_id}/cancellation")
async def confirm_cancellation(request: Request, day_id: str, view: CoordinatorDep) -> Response:
    """The confirmation step with the reason: a page of its own, no script needed."""
    return await _cancel_page(request, view, day_id, kept={}, errors=FormErrors())


@router.post("/coordination/days/{day_id}/cancellation")
async def cancel_day(
    request: Request, day_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    kept = typed(form, ("reason",))
    reason, errors = reason_or_errors(kept["reason"])
    status_code = 422
    if not errors:
        try:
            await view.api.post(
                SERVICE, f"/fachtage/{checked_id(day_id)}/cancellation", {"reason": reason}
            )
        except ApiError as exc:
            reraise_unless_refusal(exc)
            errors, status_code = cancellation_refusal(exc), exc.status
    if errors:
        return await _cancel_page(
            request, view, day_id, kept=kept, errors=errors, status_code=status_code
        )
    return view.redirect(
        f"/coordination/days/{day_id}", flash=N_("The specialist day is called off.")
    )
