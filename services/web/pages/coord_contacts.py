"""An actor's contact persons (add, edit, erase on request after a confirmation step) and
its intercultural-opening measures (add, change status and dates): the office's commands
on the actor's page (``coord_network.show_actor``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import CoordinatorDep, View
from services.web.forms import FormErrors
from services.web.i18n import N_
from services.web.pages.application import checked_id
from services.web.pages.coord_network import show_actor
from services.web.pages.coordination_forms import (
    SERVICE,
    day_or_none,
    refused,
    reraise_unless_refusal,
    typed,
)
from services.web.render import page

router = APIRouter()
CONTACT_FIELDS = ("name", "function", "email", "phone", "language")
MEASURE_FIELDS = ("kind", "title", "goal", "status", "started_on", "due_on")
CHANGE_FIELDS = ("status", "started_on", "due_on", "completed_on")


def contact_body(kept: Mapping[str, str]) -> dict[str, Any]:
    """Empty optional fields are left out (the API's ``None``); the language defaults to
    German as the API's does."""
    return {
        "name": kept["name"],
        "function": kept["function"] or None,
        "email": kept["email"] or None,
        "phone": kept["phone"] or None,
        "language": kept["language"] or "de",
    }


@router.post("/coordination/actors/{actor_id}/contacts")
async def add_contact(
    request: Request, actor_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    kept = typed(form, CONTACT_FIELDS)
    path = f"/actors/{checked_id(actor_id)}/contacts"
    try:
        await view.api.post(SERVICE, path, contact_body(kept))
    except ApiError as exc:
        reraise_unless_refusal(exc)
        errors = refused(exc, CONTACT_FIELDS)
        return await show_actor(
            request, view, actor_id, failed="contact", errors=errors, kept=kept,
            status_code=exc.status,
        )  # fmt: skip
    return view.redirect(
        f"/coordination/actors/{actor_id}", flash=N_("The contact person is added.")
    )


async def _contact(view: View, actor_id: str, contact_id: str) -> dict[str, Any]:
    """One contact person of the actor (the API lists them; it has no single read)."""
    checked_id(contact_id)
    found = await view.api.get(SERVICE, f"/actors/{checked_id(actor_id)}/contacts", {"limit": 200})
    for contact in found["items"]:
        if contact["id"] == contact_id and contact["erased_at"] is None:
            return dict(contact)
    raise HTTPException(404)


def _edit_page(
    request: Request, actor: dict[str, Any], contact_id: str, kept: Mapping[str, str],
    errors: FormErrors, status_code: int = 200,
) -> Response:  # fmt: skip
    return page(
        request, "pages/coordination/contact_edit.html", status_code=status_code,
        title=N_("Change the contact person"), actor=actor, contact_id=contact_id,
        kept=kept, errors=errors,
    )  # fmt: skip


@router.get("/coordination/actors/{actor_id}/contacts/{contact_id}/edit")
async def edit_contact(
    request: Request, actor_id: str, contact_id: str, view: CoordinatorDep
) -> Response:
    contact = await _contact(view, actor_id, contact_id)
    actor = await view.api.get(SERVICE, f"/actors/{actor_id}")
    kept = {name: contact.get(name) or "" for name in CONTACT_FIELDS}
    return _edit_page(request, actor, contact_id, kept, FormErrors())


@router.post("/coordination/actors/{actor_id}/contacts/{contact_id}/edit")
async def save_contact(
    request: Request, actor_id: str, contact_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    kept = typed(form, CONTACT_FIELDS)
    path = f"/actors/{checked_id(actor_id)}/contacts/{checked_id(contact_id)}"
    try:
        await view.api.put(SERVICE, path, contact_body(kept))
    except ApiError as exc:
        reraise_unless_refusal(exc)
        actor = await view.api.get(SERVICE, f"/actors/{actor_id}")
        errors = refused(exc, CONTACT_FIELDS)
        return _edit_page(request, actor, contact_id, kept, errors, status_code=exc.status)
    return view.redirect(
        f"/coordination/actors/{actor_id}", flash=N_("The contact person is saved.")
    )


@router.get("/coordination/actors/{actor_id}/contacts/{contact_id}/erase")
async def confirm_erasure(
    request: Request, actor_id: str, contact_id: str, view: CoordinatorDep
) -> Response:
    """The confirmation step: a page of its own, so it works without JavaScript."""
    contact = await _contact(view, actor_id, contact_id)
    actor = await view.api.get(SERVICE, f"/actors/{actor_id}")
    return page(
        request, "pages/coordination/contact_erase.html",
        title=N_("Erase the contact person's data"), actor=actor, contact=contact,
    )  # fmt: skip


@router.post("/coordination/actors/{actor_id}/contacts/{contact_id}/erase")
async def erase_contact(
    actor_id: str, contact_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    path = f"/actors/{checked_id(actor_id)}/contacts/{checked_id(contact_id)}"
    await view.api.delete(SERVICE, path)
    return view.redirect(
        f"/coordination/actors/{actor_id}", flash=N_("The contact person's data is erased.")
    )


@router.post("/coordination/actors/{actor_id}/measures")
async def add_measure(
    request: Request, actor_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    kept = typed(form, MEASURE_FIELDS)
    errors = FormErrors()
    body: dict[str, Any] = {
        "institution_id": checked_id(actor_id), "kind": kept["kind"] or None,
        "title": kept["title"], "goal": kept["goal"], "status": kept["status"] or "planned",
        "started_on": day_or_none(kept["started_on"], errors, "started_on"),
        "due_on": day_or_none(kept["due_on"], errors, "due_on"),
    }  # fmt: skip
    if not errors:
        try:
            await view.api.post(SERVICE, "/measures", body)
        except ApiError as exc:
            reraise_unless_refusal(exc)
            errors = refused(exc, MEASURE_FIELDS)
    if errors:
        return await show_actor(
            request, view, actor_id, failed="measure", errors=errors, kept=kept, status_code=422
        )
    return view.redirect(f"/coordination/actors/{actor_id}", flash=N_("The measure is recorded."))


@router.post("/coordination/actors/{actor_id}/measures/{measure_id}")
async def change_measure(
    request: Request, actor_id: str, measure_id: str, view: CoordinatorDep, form: CheckedForm
) -> Response:
    """Status and dates of one measure; its fields are named ``m-<id>-<field>`` on the page."""
    prefix = f"m-{checked_id(measure_id)}-"
    kept = typed(form, tuple(prefix + name for name in CHANGE_FIELDS))
    errors = FormErrors()
    # the form shows the current dates: a field left empty clears that date
    body: dict[str, Any] = {"status": kept[prefix + "status"]} if kept[prefix + "status"] else {}
    for name in ("started_on", "due_on", "completed_on"):
        body[name] = day_or_none(kept[prefix + name], errors, prefix + name)
    aliases = {name: prefix + name for name in CHANGE_FIELDS}
    if not errors:
        try:
            await view.api.patch(SERVICE, f"/measures/{measure_id}", body)
        except ApiError as exc:
            reraise_unless_refusal(exc)
            errors = refused(exc, tuple(aliases.values()), aliases)
    if errors:
        return await show_actor(
            request, view, actor_id, failed=prefix, errors=errors, kept=kept, status_code=422
        )
    return view.redirect(f"/coordination/actors/{actor_id}", flash=N_("The measure is changed."))
