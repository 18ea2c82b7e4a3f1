"""The application form: what the reader typed, the API body made from it, its rows.

The form posts flat fields (``cost_lines-0-amount`` …) so that it works without JavaScript;
adding or removing a cost-plan row is a submit of the same form that only redraws it.
Amounts are typed as the reader writes them (``1.234,56``) and sent to the API as decimals;
an amount that is none is reported at its field before the API is asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from starlette.datastructures import FormData

from services.web.forms import FormErrors
from services.web.i18n import N_, parse_amount
from services.web.labels import COST_CATEGORIES

TEXT_FIELDS = (
    "title",
    "description",
    "target_group",
    "place",
    "funding_period_start",
    "funding_period_end",
    "migrant_org_partner",
)
AMOUNT_FIELDS = ("own_contribution", "third_party_contribution", "requested_amount")
MAX_ROWS = 100
ROW_FIELDS = ("category", "description", "amount")


@dataclass
class CostRow:
    category: str = "personnel"
    description: str = ""
    amount: str = ""


@dataclass
class ApplicationForm:
    round_id: str
    priority_code: str = ""
    values: dict[str, str] = field(default_factory=dict)
    rows: list[CostRow] = field(default_factory=lambda: [CostRow()])

    def field_names(self) -> list[str]:
        names = ["priority_code", *TEXT_FIELDS, *AMOUNT_FIELDS, "cost_lines"]
        for index in range(len(self.rows)):
            names += [f"cost_lines-{index}-{part}" for part in ROW_FIELDS]
        return names

    def body(self, organisation_id: str, language: str, errors: FormErrors) -> dict[str, Any]:
        """The API's request body; unreadable amounts are added to ``errors``."""
        body: dict[str, Any] = {
            "organisation_id": organisation_id,
            "round_id": self.round_id,
            "priority_code": self.priority_code,
        }
        for name in TEXT_FIELDS:
            value = self.values.get(name, "").strip()
            if value or name in ("title", "funding_period_start", "funding_period_end"):
                body[name] = value
        if not body.get("migrant_org_partner"):
            body.pop("migrant_org_partner", None)
        for name in AMOUNT_FIELDS:
            body[name] = _amount(self.values.get(name, ""), name, language, errors, default="0")
        body["cost_lines"] = [
            {
                "category": row.category,
                "description": row.description.strip(),
                "amount": _amount(row.amount, f"cost_lines-{i}-amount", language, errors),
            }
            for i, row in enumerate(self.rows)
        ]
        return body


def _amount(text: str, name: str, language: str, errors: FormErrors, default: str = "") -> str:
    if not text.strip():
        if default:
            return default
        errors.add(name, N_("Enter an amount, for example 1234,56."))
        return "0"
    amount = parse_amount(text, language)
    if amount is None:
        errors.add(name, N_("Enter an amount, for example 1234,56."))
        return "0"
    return str(amount.quantize(Decimal("0.01")))


def from_form(form: FormData) -> tuple[ApplicationForm, str]:
    """The form as posted, and the action its button asked for (save, submit, add_row,
    remove_row-<n>)."""
    result = ApplicationForm(
        round_id=str(form.get("round_id", "")),
        priority_code=str(form.get("priority_code", "")),
        values={name: str(form.get(name, "")) for name in (*TEXT_FIELDS, *AMOUNT_FIELDS)},
        rows=[],
    )
    parts = [key.split("-") for key in form if key.startswith("cost_lines-")]
    indices = sorted({int(p[1]) for p in parts if len(p) == 3 and p[1].isdigit()})
    for index in indices[:MAX_ROWS]:
        category = str(form.get(f"cost_lines-{index}-category", "other"))
        result.rows.append(
            CostRow(
                category=category if category in COST_CATEGORIES else "other",
                description=str(form.get(f"cost_lines-{index}-description", "")),
                amount=str(form.get(f"cost_lines-{index}-amount", "")),
            )
        )
    action = str(form.get("action", "save"))
    if action == "add_row" and len(result.rows) < MAX_ROWS:
        result.rows.append(CostRow())
    elif action.startswith("remove_row-"):
        chosen = action.removeprefix("remove_row-")
        if chosen.isdigit() and int(chosen) < len(result.rows) and len(result.rows) > 1:
            del result.rows[int(chosen)]
    if not result.rows:
        result.rows.append(CostRow())
    return result, action
