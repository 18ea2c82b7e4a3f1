"""The coordination office's network of actors: the list with its search and filters, a new
actor, an actor's page (its contact persons and intercultural-opening measures, whose
commands are in ``coord_contacts``); and the same list, read-only, for case managers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.coordination_labels import ACTOR_TYPES, MEASURE_KINDS, MEASURE_STATUS
from services.web.csrf import CheckedForm
from services.web.deps import CaseManagerDep, CoordinatorDep, View
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.coordination_forms import (
    LANGUAGE,
    SERVICE,
    language_codes,
    per_form,
    refused,
    reraise_unless_refusal,
    typed,
    words,
)
from services.web.pages.listing import PAGE_SIZE, base_query, offset_of
from services.web.render import page

router = APIRouter()
ACTOR_FIELDS = ("name", "type", "place", "languages", "topics", "applicant_organisation_id")


def network_filters(request: Request) -> dict[str, str]:
    """The list's search and filters from the query, each cut to what the API takes (a
    language code of another form or an unknown type is left out rather than refused)."""
    query = request.query_params
    kind = query.get("type", "")
    language = query.get("language", "").strip().lower()
    return {
        "q": query.get("q", "").strip()[:100],
        "type": kind if kind in ACTOR_TYPES else "",
        "language": language if LANGUAGE.match(language) else "",
        "topic": query.get("topic", "").strip()[:60],
    }


async def _actors(request: Request, view: View) -> tuple[dict[str, str], Any]:
    filters = network_filters(request)
    params = {
        **filters,
        "limit": PAGE_SIZE,
        "offset": offset_of(request.query_params.get("offset")),
    }
    return filters, await view.api.get(SERVICE, "/actors", params)


@router.get("/coordination/actors")
async def actors(request: Request, view: CoordinatorDep) -> Response:
    filters, found = await _actors(request, view)
    return page(
        request, "pages/coordination/actors.html", title=N_("Network"), found=found,
        filters=filters, base_query=base_query(filters), type_options=list(ACTOR_TYPES.items()),
        office=True,
    )  # fmt: skip


@router.get("/network")
async def network(request: Request, view: CaseManagerDep) -> Response:
    """The case managers' view of the network: who is there, without contact persons."""
    filters, found = await _actors(request, view)
    return page(
        request, "pages/coordination/actors.html", title=N_("Network of actors"), found=found,
        filters=filters, base_query=base_query(filters), type_options=list(ACTOR_TYPES.items()),
        office=False,
    )  # fmt: skip


def _new_page(
    request: Request, kept: Mapping[str, str], errors: FormErrors, status_code: int = 200
) -> Response:
    return page(
        request, "pages/coordination/actor_new.html", status_code=status_code,
        title=N_("New actor"), kept=kept, errors=errors, type_options=list(ACTOR_TYPES.items()),
    )  # fmt: skip


@router.get("/coordination/actors/new")
async def new_actor(request: Request, view: CoordinatorDep) -> Response:
    return _new_page(request, {}, FormErrors())


def actor_body(kept: Mapping[str, str], errors: FormErrors) -> dict[str, Any]:
    """The actor as the API takes it: languages and topics typed as lists."""
    return {
        "name": kept["name"],
        "type": kept["type"] or None,
        "place": kept["place"],
        "languages": language_codes(kept["languages"], errors, "languages"),
        "topics": words(kept["topics"]),
        "applicant_organisation_id": kept["applicant_organisation_id"] or None,
    }


@router.post("/coordination/actors/new")
async def create_actor(request: Request, view: CoordinatorDep, form: CheckedForm) -> Response:
    kept = typed(form, ACTOR_FIELDS)
    errors = FormErrors()
    body = actor_body(kept, errors)
    if errors:
        return _new_page(request, kept, errors, status_code=422)
    try:
        created = await view.api.post(SERVICE, "/actors", body)
    except ApiError as exc:
        reraise_unless_refusal(exc)
        return _new_page(request, kept, refused(exc, ACTOR_FIELDS), status_code=exc.status)
    return view.redirect(f"/coordination/actors/{created['id']}", flash=N_("The actor is added."))


def _edit_page(
    request: Request, actor: Mapping[str, Any], kept: Mapping[str, str], errors: FormErrors,
    status_code: int = 200,
) -> Response:  # fmt: skip
    return page(
        request, "pages/coordination/actor_edit.html", status_code=status_code,
        title=N_("Change the actor"), actor=actor, kept=kept, errors=errors,
        type_options=list(ACTOR_TYPES.items()),
    )  # fmt: skip


def actor_kept(actor: Mapping[str, Any]) -> dict[str, str]:
    """The actor's facts as the form shows them (lists typed with commas)."""
    return {
        "name": actor["name"], "type": actor["type"], "place": actor["place"],
        "languages": ", ".join(actor["languages"]), "topics": ", ".join(actor["topics"]),
        "applicant_organisation_id": actor["applicant_organisation_id"] or "",
    }  # fmt: skip


@router.get("/coordination/actors/{actor_id}/edit")
async def edit_actor(request: Request, actor_id: str, view: CoordinatorDep) -> Response:
    actor = await view.api.get(SERVICE, f"/actors/{checked_id(actor_id)}")
    return _edit_page(request, actor, actor_kept(actor), FormErrors())


@router.post("/coordination/actors/{actor_id}/edit")
async def save_actor(
    request: Request, actor_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    """``PUT /actors/{id}`` replaces the facts: the form sends them all, as shown."""
    path = f"/actors/{checked_id(actor_id)}"
    kept = typed(form, ACTOR_FIELDS)
    errors = FormErrors()
    body = actor_body(kept, errors)
    if not errors:
        try:
            await view.api.put(SERVICE, path, body)
        except ApiError as exc:
            reraise_unless_refusal(exc)
            errors = refused(exc, ACTOR_FIELDS)
    if errors:
        actor = await view.api.get(SERVICE, path)
        return _edit_page(request, actor, kept, errors, status_code=422)
    return view.redirect(f"/coordination{path}", flash=N_("The actor's facts are saved."))


async def show_actor(
    request: Request,
    view: View,
    actor_id: str,
    *,
    failed: str | None = None,
    errors: FormErrors | None = None,
    kept: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The actor's page; ``failed`` names the form whose refusal ``errors`` holds."""
    path = f"/actors/{checked_id(actor_id)}"
    actor = await view.api.get(SERVICE, path)
    offset = offset_of(request.query_params.get("offset"))
    contacts = await view.api.get(
        SERVICE, path + "/contacts", {"limit": PAGE_SIZE, "offset": offset}
    )
    measures = await view.api.get(SERVICE, "/measures", {"institution_id": actor_id, "limit": 100})
    return page(
        request, "pages/coordination/actor.html", status_code=status_code,
        title_text=actor["name"], actor=actor, contacts=contacts, measures=measures["items"],
        base_query="", **per_form(failed, errors, kept),
        kind_options=list(MEASURE_KINDS.items()), status_options=list(MEASURE_STATUS.items()),
    )  # fmt: skip


@router.get("/coordination/actors/{actor_id}")
async def actor_page(request: Request, actor_id: str, view: CoordinatorDep) -> Response:
    return await show_actor(request, view, actor_id)
