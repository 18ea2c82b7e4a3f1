"""Names and amounts in request bodies: what the shared validated types refuse."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from services.applications.applications.schemas import ApplicationContent
from services.applications.catalogue.schemas import OrganisationIn
from services.cases.cases.schemas import PersonIn
from services.cases.support.schemas import VolunteerIn

BAD_NAMES = [
    "",
    "   ",
    "\u200b",  # zero-width space
    "\u200d\u200c",  # joiners only
    "\u202e",  # right-to-left override
    "\u2066Fulda\u2069",  # an isolate around a name
    "\ufeff",  # byte order mark
    "Ful\x00da",  # NUL
    "Ful\nda",
    "Ful\tda",
    "\x7f",
]
GOOD_NAMES = ["Fulda", " Fulda ", "Fulda\n", "Ali\u200cReza", "A\u011f\u0131rman", "محمد", "Zoë"]


def _content(**fields: Any) -> dict[str, Any]:
    return {
        "title": "WIR",
        "funding_period_start": "2027-01-01",
        "funding_period_end": "2027-12-31",
        "cost_lines": [{"category": "material", "description": "x", "amount": "5000.00"}],
        "requested_amount": "5000.00",
        **fields,
    }


@pytest.mark.parametrize("name", BAD_NAMES)
def test_names_without_a_visible_character_or_with_controls_are_refused(name: str) -> None:
    with pytest.raises(ValidationError):
        OrganisationIn(name=name, applicant_type="migrant_org")
    with pytest.raises(ValidationError):
        PersonIn.model_validate({"given_name": name, "family_name": "Ahmadi"})
    with pytest.raises(ValidationError):
        PersonIn.model_validate({"given_name": "Sara", "family_name": name})


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_real_names_are_kept_stripped(name: str) -> None:
    organisation = OrganisationIn(name=name, applicant_type="migrant_org")
    assert organisation.name == name.strip()
    person = PersonIn.model_validate({"given_name": name, "family_name": "Ahmadi"})
    assert person.given_name == name.strip()


def test_volunteer_names_are_checked_too() -> None:
    volunteer = {"name": "Sara", "role": "mentor", "languages": ["fa"], "place": "Fulda"}
    assert VolunteerIn.model_validate(volunteer).name == "Sara"
    with pytest.raises(ValidationError):
        VolunteerIn.model_validate({**volunteer, "name": "\u200b"})


@pytest.mark.parametrize("partner", ["", "   ", "\u200b", "\t\n"])
def test_a_blank_migrant_org_partner_is_no_partner(partner: str) -> None:
    assert (
        ApplicationContent.model_validate(_content(migrant_org_partner=partner)).migrant_org_partner
        is None
    )


def test_a_migrant_org_partner_is_a_name() -> None:
    content = ApplicationContent.model_validate(_content(migrant_org_partner=" Verein e.V. "))
    assert content.migrant_org_partner == "Verein e.V."
    with pytest.raises(ValidationError):
        ApplicationContent.model_validate(_content(migrant_org_partner="Ver\x00ein"))


@pytest.mark.parametrize(
    "amount",
    [
        "\u0665\u0660\u0660\u0660",  # Arabic-Indic 5000
        "\u06f5\u06f0\u06f0\u06f0",  # Persian 5000
        "\uff15\uff10\uff10\uff10",  # full-width 5000
        "\u0967\u0966",  # Devanagari
        "5e3",
        " 5000",
        "5,000",
        "NaN",
        "Infinity",
    ],
)
def test_amounts_are_ascii_digits_only(amount: str) -> None:
    body = _content(
        cost_lines=[{"category": "material", "description": "x", "amount": amount}],
        requested_amount=amount,
    )
    with pytest.raises(ValidationError):
        ApplicationContent.model_validate(body)
    with pytest.raises(ValidationError):
        ApplicationContent.model_validate(_content(own_contribution=amount))


@pytest.mark.parametrize(
    ("amount", "read"),
    [("5000", "5000"), ("5000.00", "5000.00"), ("5000.5", "5000.5"), (5000, "5000")],
)
def test_ascii_amounts_and_json_numbers_are_read(amount: Any, read: str) -> None:
    body = _content(
        cost_lines=[{"category": "material", "description": "x", "amount": amount}],
        requested_amount=amount,
    )
    assert ApplicationContent.model_validate(body).requested_amount == Decimal(read)
