"""The case manager's commands on a case: assessment, plan, referral, placement, check-in,
share, transfer, closure and reopening. Each is a plain form posted to the server, which
sends it to the cases API as the signed-in user and redirects back (POST-redirect-GET)."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from services.web.case_labels import (
    CLOSURE_REASONS,
    DECLINE_REASONS,
    GOAL_STATUS,
    NEED_AREAS,
    PLACEMENT_TYPES,
)
from services.web.csrf import CheckedForm
from services.web.deps import CaseManagerDep
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.case_file import case_command

router = APIRouter()
LANGUAGE = re.compile(r"^[a-z]{2}$")
#: a staff user id as the API takes them (services/cases/codes.py StaffId)
STAFF_ID = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
#: goal rows a plan form offers: the current goals and this many empty ones
EMPTY_GOAL_ROWS = 2
MAX_GOAL_ROWS = 50


def text(form: FormData, name: str) -> str:
    return str(form.get(name, "")).strip()


def languages(typed: str, errors: FormErrors, name: str) -> list[str]:
    """Language codes typed as ``ar, fr``; a code of another form is an error at ``name``."""
    codes = [c.strip().lower() for c in re.split(r"[,\s]+", typed) if c.strip()]
    if any(not LANGUAGE.match(c) for c in codes):
        errors.add(name, N_("Enter language codes of two letters, for example ar, fr."))
    return codes


@router.post("/cases/{case_id}/assessment")
async def assess(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    errors = FormErrors()
    needs = [n for n in form.getlist("needs") if n in NEED_AREAS]
    fields = ("school_qualification", "vocational_qualification", "work_experience", "notes")
    kept: dict[str, Any] = {name: text(form, name) for name in fields}
    kept |= {"needs": needs, "assessment_languages": text(form, "assessment_languages")}
    body: dict[str, Any] = {name: kept[name] or None for name in fields}
    body["needs"] = needs
    body["languages"] = languages(kept["assessment_languages"], errors, "assessment_languages")
    return await case_command(
        request, view, case_id, name="assessment", path="/assessment", body=body,
        done=N_("The assessment is recorded."), kept=kept,
        fields=(*fields, "needs", "assessment_languages"),
        aliases={"languages": "assessment_languages"}, errors=errors,
    )  # fmt: skip


@router.post("/cases/{case_id}/plan")
async def revise_plan(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    errors = FormErrors()
    goals: list[dict[str, Any]] = []
    kept: dict[str, Any] = {"plan_note": text(form, "plan_note")}
    fields: list[str] = ["plan_note"]
    for row in range(MAX_GOAL_ROWS):
        prefix = f"goals-{row}-"
        if prefix + "goal" not in form:
            break
        entry = {k: text(form, prefix + k) for k in ("area", "goal", "target_date", "status")}
        kept |= {prefix + k: v for k, v in entry.items()}
        fields += [prefix + k for k in entry]
        if not entry["goal"] and not entry["area"]:
            continue
        number = len(goals)
        if entry["area"] not in NEED_AREAS:
            errors.add(prefix + "area", N_("Choose the need area of this goal."))
        if not entry["goal"]:
            errors.add(prefix + "goal", N_("Describe the goal."))
        goals.append(
            {
                "area": entry["area"],
                "goal": entry["goal"],
                "target_date": entry["target_date"] or None,
                "status": entry["status"] if entry["status"] in GOAL_STATUS else "open",
                "_row": row,
                "_number": number,
            }
        )
    if not goals and not errors:
        errors.add("goals-0-goal", N_("Describe at least one goal."))
    # the API numbers the goals it got; the form numbers its rows (empty ones skipped)
    aliases = {f"goals-{g['_number']}-{k}": f"goals-{g['_row']}-{k}" for g in goals for k in
               ("area", "goal", "target_date", "status")}  # fmt: skip
    body = {
        "goals": [{k: v for k, v in g.items() if not k.startswith("_")} for g in goals],
        "note": kept["plan_note"] or None,
    }
    return await case_command(
        request, view, case_id, name="plan", path="/plan", body=body,
        done=N_("The plan is saved."), kept=kept, fields=tuple(fields),
        aliases={**aliases, "note": "plan_note"}, errors=errors,
    )  # fmt: skip


@router.post("/cases/{case_id}/referrals")
async def refer(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    kept = {"offer_id": text(form, "offer_id"), "referral_note": text(form, "referral_note")}
    errors = FormErrors()
    if not kept["offer_id"]:
        errors.add("offer_id", N_("Choose the offer to refer to."))
    return await case_command(
        request, view, case_id, name="referral", path="/referrals",
        body={"offer_id": kept["offer_id"], "note": kept["referral_note"] or None},
        done=N_("The referral is sent to the provider."), kept=kept,
        fields=("offer_id", "referral_note"), aliases={"note": "referral_note"}, errors=errors,
    )  # fmt: skip


@router.post("/cases/{case_id}/referrals/{referral_id}/response")
async def record_answer(
    request: Request, case_id: str, referral_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    """The provider's answer given by phone, recorded by the case manager (the history
    names who recorded it)."""
    field = f"decline_reason-{checked_id(referral_id)}"
    accepted = form.get("answer") == "accept"
    kept = {field: text(form, field)}
    errors = FormErrors()
    body: dict[str, Any] = {"accepted": accepted}
    if not accepted:
        if kept[field] not in DECLINE_REASONS:
            errors.add(field, N_("Choose the reason for declining."))
        body["decline_reason"] = kept[field]
    return await case_command(
        request, view, case_id, name="answer", path=f"/referrals/{referral_id}/response",
        body=body, kept=kept, fields=(field,), aliases={"decline_reason": field}, errors=errors,
        done=N_("The referral is accepted.") if accepted else N_("The referral is declined."),
    )  # fmt: skip


@router.post("/cases/{case_id}/placement")
async def place(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    fields = ("placement_type", "employer_or_provider", "start_date")
    kept = {name: text(form, name) for name in fields}
    errors = FormErrors()
    if kept["placement_type"] not in PLACEMENT_TYPES:
        errors.add("placement_type", N_("Choose the kind of placement."))
    if not kept["employer_or_provider"]:
        errors.add("employer_or_provider", N_("Please fill in this field."))
    if not kept["start_date"]:
        errors.add("start_date", N_("Enter a date, for example 31.01.2027."))
    return await case_command(
        request, view, case_id, name="placement", path="/placement", body=dict(kept),
        done=N_("The placement is recorded; check-ins follow."), kept=kept, fields=fields,
        errors=errors,
    )  # fmt: skip


@router.post("/cases/{case_id}/follow-ups")
async def check_in(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    kept = {
        "still_placed": text(form, "still_placed"),
        "follow_up_note": text(form, "follow_up_note"),
    }
    errors = FormErrors()
    if kept["still_placed"] not in ("yes", "no"):
        errors.add("still_placed", N_("Say whether the person is still placed."))
    body = {"still_placed": kept["still_placed"] == "yes", "note": kept["follow_up_note"] or None}
    return await case_command(
        request, view, case_id, name="follow_up", path="/follow-ups", body=body,
        done=N_("The check-in is recorded."), kept=kept,
        fields=("still_placed", "follow_up_note"), aliases={"note": "follow_up_note"},
        errors=errors,
    )  # fmt: skip


@router.post("/cases/{case_id}/shares")
async def share(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    kept = {"share_to": text(form, "share_to")}
    return await case_command(
        request, view, case_id, name="share", path="/shares",
        body={"case_manager": kept["share_to"]}, done=N_("The case is shared."), kept=kept,
        fields=("share_to",), aliases={"case_manager": "share_to"},
    )  # fmt: skip


@router.post("/cases/{case_id}/shares/{colleague}/end")
async def unshare(
    request: Request, case_id: str, colleague: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    target = f"/cases/{checked_id(case_id)}"
    if not STAFF_ID.match(colleague):
        raise HTTPException(404)
    await view.api.delete("cases", f"{target}/shares/{colleague}")
    return view.redirect(target, flash=N_("The case is no longer shared with this colleague."))


@router.post("/cases/{case_id}/transfer")
async def transfer(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    kept = {"transfer_to": text(form, "transfer_to")}
    answer = await case_command(
        request, view, case_id, name="transfer", path="/transfer",
        body={"case_manager": kept["transfer_to"]}, done=N_("The case is handed over."),
        kept=kept, fields=("transfer_to",), aliases={"case_manager": "transfer_to"},
    )  # fmt: skip
    # after the hand-over the case is no longer this user's to see: back to the caseload
    if answer.status_code == 303:
        return view.redirect("/cases", flash=N_("The case is handed over."))
    return answer


@router.post("/cases/{case_id}/closure")
async def close(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    kept = {
        "closure_reason": text(form, "closure_reason"),
        "closure_note": text(form, "closure_note"),
    }
    errors = FormErrors()
    if kept["closure_reason"] not in CLOSURE_REASONS:
        errors.add("closure_reason", N_("Choose the reason for closing."))
    return await case_command(
        request, view, case_id, name="closure", path="/closure",
        body={"reason": kept["closure_reason"], "note": kept["closure_note"] or None},
        done=N_("The case is closed."), kept=kept, fields=("closure_reason", "closure_note"),
        aliases={"reason": "closure_reason", "note": "closure_note"}, errors=errors,
    )  # fmt: skip


@router.post("/cases/{case_id}/reopen")
async def reopen(
    request: Request, case_id: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    return await case_command(
        request, view, case_id, name="reopen", path="/reopen", body=None,
        done=N_("The case is open again."),
    )  # fmt: skip
