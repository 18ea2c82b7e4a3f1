"""From what the API refused to what the reader sees at the form's fields.

A 422 problem lists ``errors`` with a location (``["body", "cost_lines", 0, "amount"]``);
a form names that field ``cost_lines-0-amount``. Errors of the whole body (a model check,
location ``["body"]``) go to the field their message names, else to the form as a whole.
Messages are said in the reader's words where the error type is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from services.web.i18n import N_

FORM = "_form"

#: pydantic error types -> a text the reader understands
MESSAGES = {
    "missing": N_("Please fill in this field."),
    "string_too_short": N_("Please fill in this field."),
    "string_too_long": N_("This text is too long."),
    "decimal_parsing": N_("Enter an amount, for example 1234,56."),
    "decimal_type": N_("Enter an amount, for example 1234,56."),
    "greater_than": N_("Enter an amount above zero."),
    "greater_than_equal": N_("The value must not be negative."),
    "less_than_equal": N_("The value is too large."),
    "date_from_datetime_parsing": N_("Enter a date, for example 31.01.2027."),
    "date_parsing": N_("Enter a date, for example 31.01.2027."),
    "date_type": N_("Enter a date, for example 31.01.2027."),
    "int_parsing": N_("Enter a whole number."),
    "enum": N_("Choose one of the options."),
    "string_pattern_mismatch": N_("This value has a form that is not allowed."),
    "too_short": N_("Add at least one row."),
}


#: checks of a whole request body (their message names the rule) -> the rule in words
RULES = (
    (
        "requested_amount must equal",
        N_("The amount requested must be the total costs minus the contributions."),
    ),
    (
        "funding_period_start must not be after",
        N_("The funding period must not end before it starts."),
    ),
    ("mini_job cost line", N_("Mini job costs are eligible under priority 5 only.")),
    ("granted_amount is required", N_("Enter the amount granted.")),
    ("reason is required", N_("Give the reason for this decision.")),
    (
        "given together or not at all",
        N_("Street, postal code and city are given together or not at all."),
    ),
    ("an addressee line needs", N_("An addressee line needs street, postal code and city.")),
    ("submission_closes_at must be after", N_("The submission window must end after it opens.")),
    ("period_latest_end must be after", N_("The latest end must be after the earliest start.")),
)


#: refusals of a command (409/422 without field errors) whose detail the reader should get
#: in their own words
REFUSALS = (
    (
        "may not also decide (four-eyes)",
        N_("You reviewed this application: another approver must decide it (four-eyes principle)."),
    ),
    (
        "needs the assigned reviewer's review first",
        N_("The review is not recorded yet: a decision comes after it (four-eyes principle)."),
    ),
)


def plain(detail: str) -> str:
    """A command's refusal in the reader's words where it is a known one."""
    for marker, words in REFUSALS:
        if marker in detail:
            return words
    return detail


def field_name(location: Iterable[Any]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path"}:
        parts = parts[1:]
    return "-".join(parts) or FORM


@dataclass
class FormErrors:
    """Messages per field name; :data:`FORM` for those of the whole form."""

    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields)

    def of(self, name: str) -> list[str]:
        return self.fields.get(name, [])


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind in MESSAGES:
        return MESSAGES[kind]
    text = str(error.get("msg", ""))
    for marker, words in RULES:
        if marker in text:
            return words
    return text.removeprefix("Value error, ")


def from_problem(errors: Iterable[Mapping[str, Any]], known_fields: Iterable[str]) -> FormErrors:
    """The field errors of a 422 problem, by form field name."""
    known = list(known_fields)
    result = FormErrors()
    for error in errors:
        name = field_name(error.get("loc", ()))
        message = _message(error)
        if name == FORM or name not in known:
            # a check of the whole body names its field in its message (…_amount must …)
            raw = str(error.get("msg", ""))
            named = [k for k in known if raw.find(k) != -1]
            name = min(named, key=raw.find) if named else (name if name in known else FORM)
        result.add(name, message)
    return result
