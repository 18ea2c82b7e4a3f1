"""The coordination office's working groups: the list, a new group, a group's page (members,
the next meeting, meetings and action items with their reminders). The commands on a
group, its meetings and action items are in ``coord_meetings``."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.coordination_labels import GROUP_STAGES, WEEKS_OF_MONTH, cadence_words
from services.web.csrf import CheckedForm
from services.web.deps import CoordinatorDep, View
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.coordination_forms import (
    SERVICE,
    per_form,
    refused,
    reraise_unless_refusal,
    typed,
)
from services.web.pages.coordination_names import Named, contacts_of, network_actors, ref_names
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()
GROUP_FIELDS = ("name", "topic", "invitation_lead_days", "item_reminder_days")
#: the newest events of a group its page shows
HISTORY = 200


@router.get("/coordination/groups")
async def groups(request: Request, view: CoordinatorDep) -> Response:
    q = request.query_params.get("q", "").strip()[:100]
    stage = request.query_params.get("stage", "")
    stage = stage if stage in GROUP_STAGES else ""
    offset = offset_of(request.query_params.get("offset"))
    found = await view.api.get(
        SERVICE, "/groups", {"q": q, "stage": stage, "limit": PAGE_SIZE, "offset": offset}
    )
    return page(
        request, "pages/coordination/groups.html", title=N_("Working groups"), found=found,
        q=q, stage=stage, base_query=base_query({"q": q, "stage": stage}),
    )  # fmt: skip


def _new_page(
    request: Request, kept: Mapping[str, str], errors: FormErrors, status_code: int = 200
) -> Response:
    return page(
        request, "pages/coordination/group_new.html", status_code=status_code,
        title=N_("New working group"), kept=kept, errors=errors,
    )  # fmt: skip


@router.get("/coordination/groups/new")
async def new_group(request: Request, view: CoordinatorDep) -> Response:
    return _new_page(request, {}, FormErrors())


def whole_number_or_none(text: str, errors: FormErrors, name: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        errors.add(name, N_("Enter a whole number."))
        return None
    return int(text)


@router.post("/coordination/groups/new")
async def create_group(request: Request, view: CoordinatorDep, form: CheckedForm) -> Response:
    kept = typed(form, GROUP_FIELDS)
    errors = FormErrors()
    body: dict[str, Any] = {"name": kept["name"], "topic": kept["topic"]}
    for name in ("invitation_lead_days", "item_reminder_days"):
        body[name] = whole_number_or_none(kept[name], errors, name)
    if not errors:
        try:
            created = await view.api.post(SERVICE, "/groups", body)
        except ApiError as exc:
            reraise_unless_refusal(exc)
            errors = refused(exc, GROUP_FIELDS)
    if errors:
        return _new_page(request, kept, errors, status_code=422)
    return view.redirect(
        f"/coordination/groups/{created['id']}", flash=N_("The working group is formed.")
    )


async def group_names(
    view: View, group: Mapping[str, Any], more: list[dict[str, str]], actors: dict[str, str]
) -> tuple[list[tuple[str, str]], dict[str, Named]]:
    """The contact persons a member may be (those of the member institutions and the
    contact members, not erased) as ``contact:id`` options, and ``kind:id`` -> words for
    the members and ``more`` (owners, attendees). Each institution's contacts are read
    once; the other institutions only for a contact not found among the members'."""
    member_actors = [m["id"] for m in group["members"] if m["kind"] == "actor"]
    known = await contacts_of(view, member_actors, actors)
    named = await ref_names(view, group["members"] + more, actors, known, read=member_actors)
    options = {f"contact:{c}": n.text for c, n in known.items() if not n.erased}
    for m in group["members"]:
        key = f"contact:{m['id']}"
        if m["kind"] == "contact" and not named[key].erased:
            options.setdefault(key, named[key].text)
    return list(options.items()), named


async def _history(view: View, path: str) -> dict[str, Any]:
    """The group's newest :data:`HISTORY` events (the API lists them oldest first)."""
    found: dict[str, Any] = await view.api.get(SERVICE, path + "/history", {"limit": HISTORY})
    if found["total"] > HISTORY:
        offset = found["total"] - HISTORY
        found = await view.api.get(SERVICE, path + "/history", {"limit": HISTORY, "offset": offset})
    return found


def next_meeting(meetings: list[dict[str, Any]], now: datetime) -> dict[str, Any] | None:
    """The earliest scheduled meeting that has not begun."""
    ahead = [
        m
        for m in meetings
        if m["status"] == "scheduled" and datetime.fromisoformat(m["starts_at"]) >= now
    ]
    return min(ahead, key=lambda m: datetime.fromisoformat(m["starts_at"]), default=None)


async def show_group(
    request: Request,
    view: View,
    group_id: str,
    *,
    failed: str | None = None,
    errors: FormErrors | None = None,
    kept: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    path = f"/groups/{checked_id(group_id)}"
    query = request.query_params
    meetings_offset, items_offset = offset_of(query.get("offset")), offset_of(query.get("items"))
    group, meetings, items, history, actors = await asyncio.gather(
        view.api.get(SERVICE, path),
        view.api.get(SERVICE, path + "/meetings", {"limit": PAGE_SIZE, "offset": meetings_offset}),
        view.api.get(SERVICE, path + "/action-items", {"limit": PAGE_SIZE, "offset": items_offset}),
        _history(view, path),
        network_actors(view),
    )
    owners_shown = [i["owner"] for i in items["items"]]
    contact_options, named = await group_names(view, group, owners_shown, actors)
    names = {key: n.text for key, n in named.items()}
    chosen = {f"{m['kind']}:{m['id']}" for m in group["members"]}
    # an erased contact stays a member (the API keeps the id) but owns nothing new
    owners = [(key, names[key]) for key in sorted(chosen)
              if not key.startswith("actor:") and not named[key].erased]  # fmt: skip
    cadence = group.get("cadence")
    return page(
        request, "pages/coordination/group.html", status_code=status_code,
        title_text=group["name"], group=group, meetings=meetings, items=items,
        names=names, chosen=chosen, actor_options=list(actors.items()),
        contact_options=contact_options,
        cadence=cadence, cadence_text=cadence and cadence_words(cadence, view.gettext),
        history=history["items"], history_total=history["total"],
        week_options=list(WEEKS_OF_MONTH.items()),
        staff_members=", ".join(m["id"] for m in group["members"] if m["kind"] == "staff"),
        owner_options=owners, meeting_options=[
            (m["id"], m["starts_at"]) for m in meetings["items"] if m["status"] != "cancelled"
        ],
        next_meeting=next_meeting(meetings["items"], datetime.now(UTC)),
        base_query=f"items={items_offset}&", items_query=f"offset={meetings_offset}&",
        **per_form(failed, errors, kept),
    )  # fmt: skip


@router.get("/coordination/groups/{group_id}")
async def group_page(request: Request, group_id: str, view: CoordinatorDep) -> Response:
    return await show_group(request, view, group_id)
