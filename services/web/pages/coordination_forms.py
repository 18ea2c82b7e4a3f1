"""What the coordination office's pages share: the form's fields as typed, a day and time
typed in Hesse, the coordination API's refusal at the form's fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from starlette.datastructures import FormData

from services.web.api import ApiError
from services.web.forms import FORM, FormErrors, field_name, from_problem
from services.web.i18n import N_, ZONE

SERVICE = "coordination"
#: ids as the coordination API takes them (uuids, staff user ids such as ``clara.coord``)
IDENT = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")


def typed(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """The fields as the reader typed them (trimmed), to send and to show again."""
    return {name: str(form.get(name, "")).strip() for name in names}


def words(text: str) -> list[str]:
    """A list typed as ``a, b`` or one per line: its parts, in order, without repeats."""
    found: list[str] = []
    for part in re.split(r"[,;\n]+", text):
        cleaned = part.strip()
        if cleaned and cleaned not in found:
            found.append(cleaned)
    return found


def language_codes(text: str, errors: FormErrors, name: str) -> list[str]:
    """Language codes typed as ``ar, fa``; one of another form is an error at ``name``."""
    codes = [c.lower() for part in words(text) for c in part.split()]
    if any(not LANGUAGE.match(c) for c in codes):
        errors.add(name, N_("Enter language codes of two letters, for example ar, fr."))
    return codes


def staff_ids(text: str, errors: FormErrors, name: str) -> list[str]:
    ids = [i for part in words(text) for i in part.split()]
    if any(not IDENT.match(i) for i in ids):
        errors.add(name, N_("Enter user ids such as clara.coord, separated by commas."))
    return ids


def moment_in_hesse(text: str, errors: FormErrors, name: str) -> str | None:
    """A day and time typed in a ``datetime-local`` field, as the time in Hesse with its
    offset (``2027-03-04T10:00:00+01:00``); an error at ``name`` if it is none."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        errors.add(name, N_("Enter the day and time, for example 04.03.2027 10:00."))
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZONE)
    return moment.isoformat()


def day_or_none(text: str, errors: FormErrors, name: str) -> str | None:
    """An optional day typed in a ``date`` field (ISO), an error at ``name`` if malformed."""
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        errors.add(name, N_("Enter a date, for example 31.01.2027."))
        return None


def refused(
    exc: ApiError, fields: tuple[str, ...], aliases: dict[str, str] | None = None
) -> FormErrors:
    """The API's 409 (its detail, for the whole form) or 422 (at the form's fields; the
    API's names renamed by ``aliases`` where the form's differ)."""
    found = FormErrors()
    if exc.status == 409:
        found.add(FORM, exc.detail)
        return found
    renamed: list[dict[str, Any]] = []
    for error in exc.errors:
        name = field_name(error.get("loc", ()))
        renamed.append({**error, "loc": ["body", (aliases or {}).get(name, name)]})
    found = from_problem(renamed, fields)
    if not found:
        found.add(FORM, exc.detail)
    return found


def per_form(
    failed: str | None, errors: FormErrors | None, kept: Mapping[str, str] | None
) -> dict[str, Any]:
    """For a page of several forms: ``errors_of(name)`` and ``kept_of(name)`` give the
    refusal and the typed input to the form ``failed`` names, nothing to the others."""
    found = errors or FormErrors()
    typed_in = dict(kept or {})
    return {
        "failed": failed,
        "errors": found,
        "errors_of": lambda name: found if name == failed else FormErrors(),
        "kept_of": lambda name: typed_in if name == failed else {},
    }


def reraise_unless_refusal(exc: ApiError) -> None:
    """Only a 409 or 422 goes back to the form; anything else is the error page's."""
    if exc.status not in (409, 422):
        raise exc
