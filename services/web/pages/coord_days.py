"""The coordination office's specialist days (Fachtage): the list, a new day, a day's page
with its stage, capacity, registrations and waiting list and the commands of its stage
(``coord_day_commands``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.coordination_labels import DAY_LEVELS, DAY_STAGE_LABELS, DAY_STAGES
from services.web.csrf import CheckedForm
from services.web.deps import CoordinatorDep, View
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.coord_groups import whole_number_or_none
from services.web.pages.coordination_forms import (
    SERVICE,
    moment_in_hesse,
    per_form,
    refused,
    reraise_unless_refusal,
    typed,
)
from services.web.pages.coordination_names import NETWORK_LIMIT, participant_names
from services.web.pages.listing import PAGE_SIZE, offset_of
from services.web.render import page

router = APIRouter()
DAY_FIELDS = ("title", "audience", "level", "venue", "capacity", "starts_at",
              "registration_closes_at", "documentation_days", "reminder_interval_days")  # fmt: skip
DEFAULTS = {"level": "district", "documentation_days": "14", "reminder_interval_days": "7"}
#: stages in which a registration may still be cancelled
CANCELLABLE = frozenset({"invitations_sent", "registration_open", "registration_closed"})
#: stages in which the whole day may be called off (before it is held)
BEFORE_HELD = frozenset({"planned", *CANCELLABLE})
#: stages whose page offers the network's institutions (to invite, to register from)
WITH_NETWORK = frozenset({"planned", "registration_open"})


def stage_filter(request: Request) -> str:
    """The list's ``?stage=``: one the pages know in words, else none (every day)."""
    stage = request.query_params.get("stage", "")
    return stage if stage in DAY_STAGE_LABELS else ""


def level_filter(request: Request) -> str:
    """The list's ``?level=``: one the pages know in words, else none (every level)."""
    level = request.query_params.get("level", "")
    return level if level in DAY_LEVELS else ""


@router.get("/coordination/days")
async def days(request: Request, view: CoordinatorDep) -> Response:
    offset = offset_of(request.query_params.get("offset"))
    filters = {"stage": stage_filter(request), "level": level_filter(request)}
    chosen = {name: value for name, value in filters.items() if value}
    params: dict[str, Any] = {"limit": PAGE_SIZE, "offset": offset, **chosen}
    found = await view.api.get(SERVICE, "/fachtage", params)
    return page(
        request, "pages/coordination/days.html", title=N_("Specialist days"), found=found,
        stage=filters["stage"], stage_options=list(DAY_STAGE_LABELS.items()),
        level=filters["level"], level_options=list(DAY_LEVELS.items()),
        base_query="".join(f"{name}={value}&" for name, value in chosen.items()),
    )  # fmt: skip


def _new_page(
    request: Request, kept: Mapping[str, str], errors: FormErrors, status_code: int = 200
) -> Response:
    return page(
        request, "pages/coordination/day_new.html", status_code=status_code,
        title=N_("New specialist day"), kept=kept, errors=errors,
        level_options=list(DAY_LEVELS.items()),
    )  # fmt: skip


@router.get("/coordination/days/new")
async def new_day(request: Request, view: CoordinatorDep) -> Response:
    return _new_page(request, DEFAULTS, FormErrors())


def day_body(kept: Mapping[str, str], errors: FormErrors) -> dict[str, Any]:
    body: dict[str, Any] = {"title": kept["title"], "audience": kept["audience"],
                            "venue": kept["venue"] or None}  # fmt: skip
    if kept["level"] not in DAY_LEVELS:
        errors.add("level", N_("Choose the level of the day."))
    body["level"] = kept["level"]
    for name in ("capacity", "documentation_days", "reminder_interval_days"):
        number = whole_number_or_none(kept[name], errors, name)
        if number is None and name == "capacity" and not kept[name]:
            errors.add(name, N_("Please fill in this field."))
        if number is not None:
            body[name] = number
    for name in ("starts_at", "registration_closes_at"):
        body[name] = moment_in_hesse(kept[name], errors, name)
    return body


@router.post("/coordination/days/new")
async def plan_day(request: Request, view: CoordinatorDep, form: CheckedForm) -> Response:
    kept = typed(form, DAY_FIELDS)
    errors = FormErrors()
    body = day_body(kept, errors)
    if not errors:
        try:
            created = await view.api.post(SERVICE, "/fachtage", body)
        except ApiError as exc:
            reraise_unless_refusal(exc)
            errors = refused(exc, DAY_FIELDS)
    if errors:
        return _new_page(request, kept, errors, status_code=422)
    return view.redirect(
        f"/coordination/days/{created['id']}", flash=N_("The specialist day is planned.")
    )


async def show_day(
    request: Request, view: View, day_id: str, *, failed: str | None = None,
    errors: FormErrors | None = None, kept: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    day = await view.api.get(SERVICE, f"/fachtage/{checked_id(day_id)}")
    contacts: list[dict[str, Any]] = []
    chosen = request.query_params.get("actor", "")
    network: list[dict[str, Any]] = []
    if day["stage"] in WITH_NETWORK:
        network = (await view.api.get(SERVICE, "/actors", {"limit": NETWORK_LIMIT}))["items"]
    actors = {a["id"]: a["name"] for a in network}
    if day["stage"] == "registration_open" and chosen in actors:
        found = await view.api.get(SERVICE, f"/actors/{chosen}/contacts", {"limit": 200})
        contacts = [c for c in found["items"] if c["erased_at"] is None]
    names = await participant_names(view, day["participants"], actors)
    stages = list(DAY_STAGES)
    # a stage the pages do not know yet (the API may gain one) reaches none of the six
    reached = stages.index(day["stage"]) if day["stage"] in stages else -1
    return page(
        request, "pages/coordination/day.html", status_code=status_code,
        title_text=day["title"], day=day, stages=stages, reached=reached,
        actors=network, chosen_actor=chosen, names=names,
        history=day.get("history") or [], history_total=len(day.get("history") or []),
        contact_options=[(c["id"], c["name"]) for c in contacts],
        cancellable=day["stage"] in CANCELLABLE, may_call_off=day["stage"] in BEFORE_HELD,
        active=[p for p in day["participants"] if p["status"] != "cancelled"],
        **per_form(failed, errors, kept),
    )  # fmt: skip


@router.get("/coordination/days/{day_id}")
async def day_page(request: Request, day_id: str, view: CoordinatorDep) -> Response:
    return await show_day(request, view, day_id)
