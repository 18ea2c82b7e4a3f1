"""A working group's meeting cycle: set it (the first meeting's day and time in Hesse; every
N weeks, or monthly on that weekday in the first … last week of the month; online or not)
and end it after a confirmation page of its own (no script needed). The API decides: its
422 (a first date not in the chosen week, a date past) is said at the field, its 409 (a
closed group, a group without a cycle) at the top."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.coordination_labels import WEEKS_OF_MONTH, cadence_words
from services.web.csrf import CheckedForm
from services.web.deps import CoordinatorDep
from services.web.forms import FORM, FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.coord_groups import show_group, whole_number_or_none
from services.web.pages.coordination_forms import (
    SERVICE,
    moment_in_hesse,
    refused,
    reraise_unless_refusal,
    typed,
)
from services.web.render import page

router = APIRouter()
CADENCE_FIELDS = ("first_starts_at", "rule", "every_weeks", "monthly_on", "online")
#: the API's refusals of a cycle -> the reader's words, at the field they concern
REFUSALS = (
    (
        "is not on the",
        "first_starts_at",
        N_("The first meeting is not on that weekday of the chosen week of its month."),
    ),
    ("at a time ahead", "first_starts_at", N_("The first meeting must lie ahead.")),
    ("has no meeting cycle", FORM, N_("The group has no meeting cycle.")),
)


def cadence_body(kept: Mapping[str, str], errors: FormErrors) -> dict[str, Any]:
    """The cycle as the API takes it: ``every_weeks`` or ``monthly_on``, as ``rule`` says."""
    body: dict[str, Any] = {
        "first_starts_at": moment_in_hesse(kept["first_starts_at"], errors, "first_starts_at"),
        "online": kept["online"] == "yes",
    }
    if kept["rule"] == "weeks":
        weeks = whole_number_or_none(kept["every_weeks"], errors, "every_weeks")
        if not errors.of("every_weeks") and (weeks is None or not 1 <= weeks <= 12):
            errors.add("every_weeks", N_("Enter a number of weeks from 1 to 12."))
        body["every_weeks"] = weeks
    elif kept["rule"] == "monthly":
        if kept["monthly_on"] not in WEEKS_OF_MONTH:
            errors.add("monthly_on", N_("Choose the week of the month."))
        body["monthly_on"] = kept["monthly_on"] or None
    else:
        errors.add("rule", N_("Choose how often the group meets."))
    return body


def cadence_refusal(exc: ApiError) -> FormErrors:
    """The API's refusal at the form's fields, its known reasons in the reader's words."""
    found = refused(exc, CADENCE_FIELDS)
    said = FormErrors()
    for name, messages in found.fields.items():
        for message in messages:
            known = [(field, words) for marker, field, words in REFUSALS if marker in message]
            field, words = known[0] if known else (name, message)
            said.add(field, words)
    return said


@router.post("/coordination/groups/{group_id}/cadence")
async def set_cadence(
    request: Request, group_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    kept = typed(form, CADENCE_FIELDS)
    errors = FormErrors()
    body = cadence_body(kept, errors)
    if not errors:
        try:
            await view.api.put(SERVICE, f"/groups/{checked_id(group_id)}/cadence", body)
        except ApiError as exc:
            reraise_unless_refusal(exc)
            errors = cadence_refusal(exc)
    if errors:
        return await show_group(
            request, view, group_id, failed="cycle", errors=errors, kept=kept, status_code=422
        )
    return view.redirect(
        f"/coordination/groups/{group_id}#cycle", flash=N_("The meeting cycle is saved.")
    )


@router.get("/coordination/groups/{group_id}/cadence/end")
async def confirm_end(request: Request, group_id: str, view: CoordinatorDep) -> Response:
    """The confirmation step: a page of its own, so it works without JavaScript."""
    group = await view.api.get(SERVICE, f"/groups/{checked_id(group_id)}")
    cadence = group.get("cadence")
    return page(
        request, "pages/coordination/cadence_end.html", title=N_("End the meeting cycle"),
        group=group, cadence=cadence,
        cadence_text=cadence and cadence_words(cadence, view.gettext),
    )  # fmt: skip


@router.post("/coordination/groups/{group_id}/cadence/end")
async def end_cadence(
    request: Request, group_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    try:
        await view.api.delete(SERVICE, f"/groups/{checked_id(group_id)}/cadence")
    except ApiError as exc:
        reraise_unless_refusal(exc)
        return await show_group(
            request, view, group_id, failed="cycle", errors=cadence_refusal(exc),
            status_code=exc.status,
        )  # fmt: skip
    return view.redirect(
        f"/coordination/groups/{group_id}#cycle", flash=N_("The meeting cycle is ended.")
    )
