"""The token's ``name`` claim becomes the actor's display name; an unusable one is dropped,
never a reason to refuse the token. And organisations' postal addresses are checked."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from services.applications.catalogue.schemas import AddressIn, OrganisationIn
from shared.auth import actor_from_claims


def _actor(**claims: Any) -> str | None:
    return actor_from_claims(
        {"sub": "jonas", "roles": ["approver"], **claims}, roles_claim="roles"
    ).display_name


def test_the_name_claim_is_the_display_name() -> None:
    assert _actor(name="Jonas Becker") == "Jonas Becker"
    assert _actor(name="  Dr.  Jonas   Becker ") == "Dr. Jonas Becker"
    assert _actor() is None


@pytest.mark.parametrize(
    "name", ["", "   ", 42, ["Jonas"], "x" * 101, "Jonas\nBecker", "Jonas\u202eBecker"]
)
def test_an_unusable_name_claim_is_ignored(name: object) -> None:
    assert _actor(name=name) is None


def test_a_postal_address_is_complete_with_five_digit_postal_code() -> None:
    address = AddressIn(street=" Südring 2 ", postal_code="34497", city="Korbach")
    assert (address.street, address.postal_code, address.city) == ("Südring 2", "34497", "Korbach")
    assert AddressIn().model_dump() == dict.fromkeys(("addressee", "street", "postal_code", "city"))
    for bad in (
        {"street": "Südring 2", "postal_code": "3449", "city": "Korbach"},
        {"street": "Südring 2", "postal_code": "344977", "city": "Korbach"},
        {"street": "Südring 2", "postal_code": "\u0663\u0664\u0664\u0669\u0667", "city": "Korbach"},
        {"street": "Südring 2", "city": "Korbach"},
        {"addressee": "Fachdienst Migration"},
        {"street": "x" * 101, "postal_code": "34497", "city": "Korbach"},
        {"street": "Südring\n2", "postal_code": "34497", "city": "Korbach"},
    ):
        with pytest.raises(ValidationError):
            AddressIn.model_validate(bad)


def test_an_organisation_may_be_created_with_or_without_address() -> None:
    bare = OrganisationIn(name="Verein e.V.", applicant_type="independent_org")
    assert bare.street is None
    full = OrganisationIn(
        name="Verein e.V.",
        applicant_type="independent_org",
        addressee="z. Hd. Vorstand",
        street="Am Markt 1",
        postal_code="35037",
        city="Marburg",
    )
    assert full.addressee == "z. Hd. Vorstand"
