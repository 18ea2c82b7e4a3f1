"""The coordination pages' view helpers: filters, typed lists, times in Hesse, refusals at
their fields, member references, the next meeting, the report's year, the API's URL."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request

from services.web.api import ApiError
from services.web.endpoints import service_urls
from services.web.forms import FORM, FormErrors
from services.web.pages.coord_groups import next_meeting, whole_number_or_none
from services.web.pages.coord_meetings import member_refs
from services.web.pages.coord_network import actor_body, network_filters
from services.web.pages.coord_report import report_year
from services.web.pages.coordination_forms import (
    language_codes,
    moment_in_hesse,
    per_form,
    refused,
    staff_ids,
    words,
)
from shared.settings import WirSettings


def _request(query: str) -> Request:
    return Request({"type": "http", "query_string": query.encode(), "headers": []})


def test_network_filters_keep_what_the_api_takes() -> None:
    kept = network_filters(_request("q=+Moschee+&type=church&language=TR&topic=Sprache"))
    assert kept == {"q": "Moschee", "type": "church", "language": "tr", "topic": "Sprache"}
    odd = network_filters(_request("type=castle&language=deu"))
    assert odd["type"] == "" and odd["language"] == ""


def test_lists_typed_with_commas_or_lines() -> None:
    assert words("Sprache, Elternarbeit;\nSprache") == ["Sprache", "Elternarbeit"]
    errors = FormErrors()
    assert language_codes("ar, FA uk", errors, "languages") == ["ar", "fa", "uk"]
    assert not errors
    language_codes("arabic", errors, "languages")
    assert errors.of("languages")
    assert staff_ids("clara.coord, anna.cm", FormErrors(), "staff") == ["clara.coord", "anna.cm"]


def test_actor_body_sends_lists_and_leaves_empty_optionals_out() -> None:
    kept = {"name": "TSV", "type": "", "place": "Korbach", "languages": "ar",
            "topics": "Sport, Sprache", "applicant_organisation_id": ""}  # fmt: skip
    body = actor_body(kept, FormErrors())
    assert body["type"] is None and body["applicant_organisation_id"] is None
    assert body["languages"] == ["ar"] and body["topics"] == ["Sport", "Sprache"]


def test_a_time_typed_is_the_time_in_hesse() -> None:
    errors = FormErrors()
    assert moment_in_hesse("2027-03-04T10:00", errors, "x") == "2027-03-04T10:00:00+01:00"
    assert moment_in_hesse("2027-07-04T10:00:30", errors, "x") == "2027-07-04T10:00:30+02:00"
    assert moment_in_hesse("tomorrow", errors, "x") is None
    assert errors.of("x")


def test_whole_numbers() -> None:
    errors = FormErrors()
    assert whole_number_or_none("", errors, "n") is None and not errors
    assert whole_number_or_none("14", errors, "n") == 14
    assert whole_number_or_none("-3", errors, "n") is None and errors.of("n")


def test_a_conflict_goes_to_the_form_a_field_error_to_its_field() -> None:
    conflict = refused(ApiError(409, {"detail": "registration is closed"}), ("user_id",))
    assert conflict.of(FORM) == ["registration is closed"]
    problem = {"detail": "invalid", "errors": [
        {"loc": ["body", "text"], "type": "string_too_short", "msg": "too short"}]}  # fmt: skip
    found = refused(ApiError(422, problem), ("documentation",), {"text": "documentation"})
    assert found.of("documentation") and not found.of(FORM)


def test_each_form_of_a_page_gets_only_its_own_refusal() -> None:
    errors = FormErrors()
    errors.add("name", "missing")
    context = per_form("contact", errors, {"name": "Elif"})
    assert context["errors_of"]("contact") is errors
    assert not context["errors_of"]("measure")
    assert context["kept_of"]("contact") == {"name": "Elif"} and context["kept_of"]("x") == {}


def test_member_references_from_checkboxes() -> None:
    refs = member_refs(["actor:a1", "staff:clara.coord", "staff:clara.coord", "boss:x", "actor:"])
    assert refs == [{"kind": "actor", "id": "a1"}, {"kind": "staff", "id": "clara.coord"}]


def test_the_next_meeting_is_the_earliest_scheduled_one_ahead() -> None:
    now = datetime(2027, 5, 1, tzinfo=UTC)
    meetings = [
        {"id": "past", "status": "scheduled", "starts_at": "2027-04-01T10:00:00+02:00"},
        {"id": "later", "status": "scheduled", "starts_at": "2027-06-01T10:00:00+02:00"},
        {"id": "soon", "status": "scheduled", "starts_at": "2027-05-10T10:00:00+02:00"},
        {"id": "off", "status": "cancelled", "starts_at": "2027-05-02T10:00:00+02:00"},
    ]
    found = next_meeting(meetings, now)
    assert found is not None and found["id"] == "soon"
    assert next_meeting(meetings[:1], now) is None


def test_report_year() -> None:
    assert report_year(None, 2027) == 2027
    assert report_year("2026", 2027) == 2026
    assert report_year("1999", 2027) == 2027 and report_year("soon", 2027) == 2027


def test_the_coordination_api_by_its_port_unless_configured() -> None:
    urls = service_urls(WirSettings(host="10.0.0.5", coordination_port=8105))
    assert urls["coordination"] == "http://10.0.0.5:8105"
    assert urls["cases"].startswith("http://10.0.0.5:")
    configured = WirSettings(web_coordination_url="https://coordination.example.org/")
    assert service_urls(configured)["coordination"] == "https://coordination.example.org"
