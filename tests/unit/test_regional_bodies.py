from collections import Counter

import pytest

from services.applications.catalogue import regional_bodies
from shared.contracts.eligibility import REGIONAL_BODIES, ApplicantType


def test_the_33_bodies_of_hessen() -> None:
    assert len(regional_bodies.ALL) == 33
    kinds = Counter(b.applicant_type for b in regional_bodies.ALL)
    assert kinds == {
        ApplicantType.district: 21,
        ApplicantType.independent_city: 5,
        ApplicantType.special_status_city: 7,
    }
    assert {b.applicant_type for b in regional_bodies.ALL} == set(REGIONAL_BODIES)
    assert len(set(regional_bodies.ALL)) == 33  # no body twice


@pytest.mark.parametrize(
    ("name", "applicant_type", "expected"),
    [
        ("Wiesbaden", None, ("Wiesbaden", ApplicantType.independent_city)),
        ("wetteraukreis", None, ("Wetteraukreis", ApplicantType.district)),
        ("  Main-Kinzig-Kreis ", None, ("Main-Kinzig-Kreis", ApplicantType.district)),
        ("Landkreis Bergstraße", None, ("Bergstraße", ApplicantType.district)),
        ("Kreis Groß-Gerau", None, ("Groß-Gerau", ApplicantType.district)),
        ("Stadt Hanau", None, ("Hanau", ApplicantType.special_status_city)),
        ("Giessen", "special_status_city", ("Gießen", ApplicantType.special_status_city)),
        ("Frankfurt", None, ("Frankfurt am Main", ApplicantType.independent_city)),
        ("Bad Homburg", None, ("Bad Homburg vor der Höhe", ApplicantType.special_status_city)),
        # names of both a district and a city: the prefix or the type decides
        ("Landkreis Kassel", None, ("Kassel", ApplicantType.district)),
        ("Stadt Kassel", None, ("Kassel", ApplicantType.independent_city)),
        ("Kassel", ApplicantType.district, ("Kassel", ApplicantType.district)),
        ("Kassel", "independent_city", ("Kassel", ApplicantType.independent_city)),
        ("Fulda", ApplicantType.special_status_city, ("Fulda", ApplicantType.special_status_city)),
        ("Kreis Fulda", None, ("Fulda", ApplicantType.district)),
        ("Kreis Offenbach", None, ("Offenbach", ApplicantType.district)),
        ("Stadt Offenbach", None, ("Offenbach am Main", ApplicantType.independent_city)),
        ("Offenbach", ApplicantType.independent_city, ("Offenbach am Main", "independent_city")),
        ("Kreisfreie Stadt Darmstadt", None, ("Darmstadt", ApplicantType.independent_city)),
    ],
)
def test_find(name: str, applicant_type: str | None, expected: tuple[str, str]) -> None:
    body = regional_bodies.find(name, applicant_type)
    assert body is not None
    assert (body.name, body.applicant_type) == expected


@pytest.mark.parametrize(
    ("name", "applicant_type"),
    [
        ("Kassel", None),  # district or city?
        ("Gießen", None),
        ("Offenbach", None),
        ("Bad Vilbel", None),  # a municipality, not one of the 33
        ("Stadt Wetteraukreis", None),  # a district asked for as a city
        ("Wiesbaden", ApplicantType.district),
        ("Wiesbaden", ApplicantType.municipality),
        ("Wiesbaden", "no_such_type"),
        ("", None),
    ],
)
def test_find_nothing(name: str, applicant_type: str | None) -> None:
    assert regional_bodies.find(name, applicant_type) is None
