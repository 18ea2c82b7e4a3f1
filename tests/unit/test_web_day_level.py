"""A specialist day's level on the pages: the list's ``?level=`` filter takes known levels
only, the new-day form sends the chosen level and refuses another at its field, and the
levels read in both languages."""

from __future__ import annotations

from starlette.requests import Request

from services.web.coordination_labels import DAY_LEVELS
from services.web.forms import FormErrors
from services.web.i18n import load_translations
from services.web.pages.coord_days import DAY_FIELDS, DEFAULTS, day_body, level_filter


def _request(query: str) -> Request:
    return Request({"type": "http", "query_string": query.encode(), "headers": []})


def _kept(**typed: str) -> dict[str, str]:
    fields = {name: "" for name in DAY_FIELDS} | DEFAULTS
    return fields | {"title": "T", "audience": "A", "capacity": "5",
                     "starts_at": "2027-03-04T10:00", "registration_closes_at": "2027-03-03T10:00",
                     **typed}  # fmt: skip


def test_the_day_list_filters_by_a_known_level_only() -> None:
    assert level_filter(_request("level=state")) == "state"
    assert level_filter(_request("level=county")) == ""
    assert level_filter(_request("")) == ""


def test_the_new_day_sends_its_level() -> None:
    errors = FormErrors()
    assert day_body(_kept(), errors)["level"] == "district" and not errors
    assert day_body(_kept(level="national"), errors)["level"] == "national" and not errors
    day_body(_kept(level="county"), errors)
    assert errors.of("level") == ["Choose the level of the day."]


def test_the_levels_in_words() -> None:
    assert list(DAY_LEVELS) == ["district", "state", "national"]
    german = load_translations("de")
    assert [german.gettext(t) for t in DAY_LEVELS.values()] == [
        "Kreisebene",
        "Landesebene (Hessen)",
        "Bundesebene",
    ]
    assert load_translations("en").gettext(DAY_LEVELS["state"]) == "State (Hesse)"
