"""The office's commands on a working group: its members, a meeting scheduled (a place or an
online link, an agenda) and those details changed, its invitation, minutes and attendance,
cancelling it; action items (owner, due date, done); closing the group. Each answers with
POST-redirect-GET, or the page again with the API's refusal at the form that sent it."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import CoordinatorDep, View
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.coord_groups import group_names, show_group
from services.web.pages.coordination_forms import (
    IDENT,
    SERVICE,
    moment_in_hesse,
    per_form,
    refused,
    reraise_unless_refusal,
    staff_ids,
    typed,
)
from services.web.pages.coordination_names import network_actors
from services.web.render import page

router = APIRouter()
MEETING_FIELDS = ("starts_at", "place", "online_link", "agenda")
DETAIL_FIELDS = ("place", "online_link", "agenda")
ITEM_FIELDS = ("title", "owner", "due_date", "meeting_id")
MEMBER_KINDS = ("actor", "staff", "contact")


def member_refs(values: list[str]) -> list[dict[str, str]]:
    """Checkbox values ``kind:id`` as the API's member references (others left out)."""
    refs: list[dict[str, str]] = []
    for value in values:
        kind, _, ident = value.partition(":")
        ref = {"kind": kind, "id": ident}
        if kind in MEMBER_KINDS and IDENT.match(ident) and ref not in refs:
            refs.append(ref)
    return refs


async def _command(
    request: Request, view: View, group_id: str, *, name: str, path: str,
    body: dict[str, Any] | None, done: str, kept: dict[str, str] | None = None,
    fields: tuple[str, ...] = (), errors: FormErrors | None = None, method: str = "post",
    back: str | None = None,
) -> Response:  # fmt: skip
    """One command on the group; back to the group's page (or ``back``) with ``done``, else
    that page again with the refusal at form ``name``."""
    target = f"/groups/{checked_id(group_id)}"
    if not errors:
        try:
            if method == "put":
                await view.api.put(SERVICE, target + path, body or {})
            else:
                await view.api.post(SERVICE, target + path, body)
        except ApiError as exc:
            reraise_unless_refusal(exc)
            errors = refused(exc, fields)
    if errors:
        return await show_group(
            request, view, group_id, failed=name, errors=errors, kept=kept, status_code=422
        )
    return view.redirect(back or f"/coordination{target}", flash=done)


def _checked(form: FormData, name: str) -> list[str]:
    return [str(v) for v in form.getlist(name)]


@router.post("/coordination/groups/{group_id}/members")
async def set_members(
    request: Request, group_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    kept = typed(form, ("staff",))
    errors = FormErrors()
    staff = staff_ids(kept["staff"], errors, "staff")
    chosen = _checked(form, "actors") + _checked(form, "contacts")
    members = member_refs(chosen + [f"staff:{s}" for s in staff])
    return await _command(
        request, view, group_id, name="members", path="/members", body={"members": members},
        done=N_("The members are saved."), kept=kept, fields=("staff",), errors=errors,
        method="put",
    )  # fmt: skip


@router.post("/coordination/groups/{group_id}/meetings")
async def schedule_meeting(
    request: Request, group_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    kept = typed(form, MEETING_FIELDS)
    errors = FormErrors()
    body = {
        "starts_at": moment_in_hesse(kept["starts_at"], errors, "starts_at"),
        "place": kept["place"] or None, "online_link": kept["online_link"] or None,
        "agenda": kept["agenda"],
    }  # fmt: skip
    return await _command(
        request, view, group_id, name="meeting", path="/meetings", body=body,
        done=N_("The meeting is scheduled."), kept=kept, fields=MEETING_FIELDS, errors=errors,
    )  # fmt: skip


@router.post("/coordination/groups/{group_id}/action-items")
async def add_action_item(
    request: Request, group_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    kept = typed(form, ITEM_FIELDS)
    errors = FormErrors()
    kind, _, owner = kept["owner"].partition(":")
    if kind not in ("staff", "contact") or not IDENT.match(owner):
        errors.add("owner", N_("Choose who owns the action item."))
    body = {
        "title": kept["title"], "owner": {"kind": kind, "id": owner},
        "due_date": kept["due_date"] or None, "meeting_id": kept["meeting_id"] or None,
    }  # fmt: skip
    return await _command(
        request, view, group_id, name="item", path="/action-items", body=body,
        done=N_("The action item is added."), kept=kept, fields=ITEM_FIELDS, errors=errors,
    )  # fmt: skip


@router.post("/coordination/groups/{group_id}/action-items/{item_id}/done")
async def complete_action_item(
    request: Request, group_id: str, item_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    return await _command(
        request, view, group_id, name="items", path=f"/action-items/{checked_id(item_id)}/done",
        body=None, done=N_("The action item is done."),
    )  # fmt: skip


@router.post("/coordination/groups/{group_id}/close")
async def close_group(
    request: Request, group_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    return await _command(
        request, view, group_id, name="close", path="/close", body=None,
        done=N_("The working group is closed."),
    )  # fmt: skip


# --- one meeting ----------------------------------------------------------------------


async def show_meeting(
    request: Request, view: View, group_id: str, meeting_id: str, *,
    failed: str | None = None, errors: FormErrors | None = None,
    kept: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    path = f"/groups/{checked_id(group_id)}"
    group, meeting, actors = await asyncio.gather(
        view.api.get(SERVICE, path),
        view.api.get(SERVICE, f"{path}/meetings/{checked_id(meeting_id)}"),
        network_actors(view),
    )
    _, named = await group_names(view, group, meeting["attendees"], actors)
    names = {key: n.text for key, n in named.items()}
    # who may be recorded as attending: members of staff and contact persons not erased
    keys = [f"{m['kind']}:{m['id']}" for m in group["members"] if m["kind"] != "actor"]
    attendance = [(key, names[key]) for key in keys if not named[key].erased]
    return page(
        request, "pages/coordination/meeting.html", status_code=status_code,
        title=N_("Meeting"), group=group, meeting=meeting, names=names,
        attendance_options=attendance, **per_form(failed, errors, kept),
    )  # fmt: skip


@router.get("/coordination/groups/{group_id}/meetings/{meeting_id}")
async def meeting_page(
    request: Request, group_id: str, meeting_id: str, view: CoordinatorDep
) -> Response:
    return await show_meeting(request, view, group_id, meeting_id)


async def _meeting_command(
    request: Request, view: View, group_id: str, meeting_id: str, *, step: str,
    body: dict[str, Any] | None, done: str, kept: dict[str, str] | None = None,
    fields: tuple[str, ...] = (), method: str = "post",
) -> Response:  # fmt: skip
    """One command on the meeting (``step``: its path below the meeting; ``details``: the
    meeting itself, by PATCH); back to its page with ``done``, else the page again with
    the refusal at form ``step``."""
    back = f"/coordination/groups/{group_id}/meetings/{meeting_id}"
    path = f"/groups/{checked_id(group_id)}/meetings/{checked_id(meeting_id)}"
    try:
        if method == "patch":
            await view.api.patch(SERVICE, path, body or {})
        else:
            await view.api.post(SERVICE, f"{path}/{step}", body)
    except ApiError as exc:
        reraise_unless_refusal(exc)
        return await show_meeting(
            request, view, group_id, meeting_id, failed=step, errors=refused(exc, fields),
            kept=kept, status_code=exc.status,
        )  # fmt: skip
    return view.redirect(back, flash=done)


@router.post("/coordination/groups/{group_id}/meetings/{meeting_id}/details")
async def change_meeting(
    request: Request, group_id: str, meeting_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    """Place, online link and agenda as the form shows them: an empty place or link clears it."""
    kept = typed(form, DETAIL_FIELDS)
    body = {"place": kept["place"] or None, "online_link": kept["online_link"] or None,
            "agenda": kept["agenda"]}  # fmt: skip
    return await _meeting_command(
        request, view, group_id, meeting_id, step="details", body=body, method="patch",
        done=N_("The meeting's details are saved."), kept=kept, fields=DETAIL_FIELDS,
    )  # fmt: skip


@router.post("/coordination/groups/{group_id}/meetings/{meeting_id}/invitation")
async def send_invitation(
    request: Request, group_id: str, meeting_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    return await _meeting_command(
        request, view, group_id, meeting_id, step="invitation", body=None,
        done=N_("The invitation is recorded as sent."),
    )  # fmt: skip


@router.post("/coordination/groups/{group_id}/meetings/{meeting_id}/minutes")
async def record_minutes(
    request: Request, group_id: str, meeting_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    kept = typed(form, ("minutes",))
    body = {"minutes": kept["minutes"], "attendees": member_refs(_checked(form, "attendees"))}
    return await _meeting_command(
        request, view, group_id, meeting_id, step="minutes", body=body,
        done=N_("The minutes and attendance are recorded."), kept=kept, fields=("minutes",),
    )  # fmt: skip


@router.post("/coordination/groups/{group_id}/meetings/{meeting_id}/cancel")
async def cancel_meeting(
    request: Request, group_id: str, meeting_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    return await _meeting_command(
        request, view, group_id, meeting_id, step="cancel", body=None,
        done=N_("The meeting is cancelled."),
    )  # fmt: skip
