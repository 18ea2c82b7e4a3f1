"""Reference data: Hessen's 33 regional bodies, the applicants of priorities 1 and 2.

21 Landkreise, 5 kreisfreie Städte and 7 Sonderstatusstädte. Four names belong to both a
Landkreis and a city (Kassel, Fulda, Gießen; Offenbach / Offenbach am Main), so a lookup
by name alone can be ambiguous: :func:`find` settles it with a prefix ("Landkreis Kassel",
"Stadt Kassel") or the applicant type, and otherwise finds nothing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shared.contracts.eligibility import REGIONAL_BODIES, ApplicantType


class RegionalBody(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    applicant_type: ApplicantType


def _bodies(kind: ApplicantType, *names: str) -> tuple[RegionalBody, ...]:
    return tuple(RegionalBody(name=n, applicant_type=kind) for n in names)


ALL: tuple[RegionalBody, ...] = (
    *_bodies(
        ApplicantType.district,
        "Bergstraße",
        "Darmstadt-Dieburg",
        "Fulda",
        "Gießen",
        "Groß-Gerau",
        "Hersfeld-Rotenburg",
        "Hochtaunuskreis",
        "Kassel",
        "Lahn-Dill-Kreis",
        "Limburg-Weilburg",
        "Main-Kinzig-Kreis",
        "Main-Taunus-Kreis",
        "Marburg-Biedenkopf",
        "Odenwaldkreis",
        "Offenbach",
        "Rheingau-Taunus-Kreis",
        "Schwalm-Eder-Kreis",
        "Vogelsbergkreis",
        "Waldeck-Frankenberg",
        "Werra-Meißner-Kreis",
        "Wetteraukreis",
    ),
    *_bodies(
        ApplicantType.independent_city,
        "Darmstadt",
        "Frankfurt am Main",
        "Kassel",
        "Offenbach am Main",
        "Wiesbaden",
    ),
    *_bodies(
        ApplicantType.special_status_city,
        "Bad Homburg vor der Höhe",
        "Fulda",
        "Gießen",
        "Hanau",
        "Marburg",
        "Rüsselsheim am Main",
        "Wetzlar",
    ),
)

_CITIES = frozenset({ApplicantType.independent_city, ApplicantType.special_status_city})

#: Prefixes people write before the name, and the kinds of body they point to. Longer
#: prefixes first, so "Kreisfreie Stadt " is not read as "Kreis" + "freie Stadt ".
_PREFIXES: tuple[tuple[str, frozenset[ApplicantType]], ...] = (
    ("kreisfreie stadt ", frozenset({ApplicantType.independent_city})),
    ("sonderstatusstadt ", frozenset({ApplicantType.special_status_city})),
    ("landkreis ", frozenset({ApplicantType.district})),
    ("kreis ", frozenset({ApplicantType.district})),
    ("stadt ", _CITIES),
)

#: Short forms of city names in everyday use.
_CITY_SHORT_FORMS = {
    "frankfurt": "Frankfurt am Main",
    "offenbach": "Offenbach am Main",
    "bad homburg": "Bad Homburg vor der Höhe",
    "rüsselsheim": "Rüsselsheim am Main",
}


def _key(text: str) -> str:
    # casefold() also maps ß to ss, so "Giessen" finds Gießen.
    return " ".join(text.split()).casefold()


_BY_KEY: dict[str, list[RegionalBody]] = {}
for _body in ALL:
    _BY_KEY.setdefault(_key(_body.name), []).append(_body)
for _short, _full in _CITY_SHORT_FORMS.items():
    _BY_KEY.setdefault(_key(_short), []).extend(
        b for b in ALL if b.name == _full and b.applicant_type in _CITIES
    )


def find(name: str, applicant_type: ApplicantType | str | None = None) -> RegionalBody | None:
    """The regional body called ``name``, or ``None`` if there is none or more than one.

    Case-insensitive; a leading "Landkreis ", "Kreis ", "Stadt ", "Kreisfreie Stadt " or
    "Sonderstatusstadt " narrows the kind of body, and so does ``applicant_type``. Names
    that belong to a district and a city (e.g. "Kassel") need one of the two.
    """
    key = _key(name)
    kinds = frozenset(REGIONAL_BODIES)
    for prefix, prefix_kinds in _PREFIXES:
        if key.startswith(prefix):
            key = key.removeprefix(prefix)
            kinds = prefix_kinds
            break
    if applicant_type is not None:
        try:
            kinds = kinds & {ApplicantType(applicant_type)}
        except ValueError:
            return None
    matches = [b for b in _BY_KEY.get(key, []) if b.applicant_type in kinds]
    return matches[0] if len(matches) == 1 else None
