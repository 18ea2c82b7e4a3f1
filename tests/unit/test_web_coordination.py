"""The coordination pages' view helpers: filters, typed lists, times in Hesse, refusals at
their fields, member references, the next meeting, the report's year, the API's URL; the
meeting cycle in words, its form and the API's refusals of it; history codes in words; the
actor's edit form; contact persons by name, read per institution no more than needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from starlette.requests import Request

from services.web.api import ApiError
from services.web.coordination_labels import cadence_words, coordination_event_label
from services.web.deps import View
from services.web.endpoints import service_urls
from services.web.forms import FORM, FormErrors
from services.web.i18n import load_translations
from services.web.pages.coord_cadence import cadence_body, cadence_refusal
from services.web.pages.coord_groups import next_meeting, whole_number_or_none
from services.web.pages.coord_meetings import member_refs
from services.web.pages.coord_network import actor_body, actor_kept, network_filters
from services.web.pages.coord_report import report_year
from services.web.pages.coordination_forms import (
    language_codes,
    moment_in_hesse,
    per_form,
    refused,
    staff_ids,
    words,
)
from services.web.pages.coordination_names import (
    BATCH,
    Named,
    contacts_of,
    institution_names,
    participant_names,
    ref_names,
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


def test_a_meeting_cycle_in_words() -> None:
    german, english = load_translations("de").gettext, load_translations("en").gettext
    every_four = {"first_starts_at": "2027-03-02T16:00:00+01:00", "every_weeks": 4}
    assert cadence_words(every_four, german) == "alle 4 Wochen, dienstags 16:00"
    assert cadence_words(every_four, english) == "every 4 weeks, Tuesdays 16:00"
    weekly = {"first_starts_at": "2027-03-03T09:30:00+01:00", "every_weeks": 1}
    assert cadence_words(weekly, german) == "jede Woche, mittwochs 09:30"
    # the time is said in Hesse, whatever offset the API answers with
    last_friday = {"first_starts_at": "2027-03-26T15:00:00Z", "monthly_on": "last"}
    assert cadence_words(last_friday, german) == "am letzten Freitag im Monat, 16:00"
    assert cadence_words(last_friday, english) == "on the last Friday of the month, 16:00"
    second = {"first_starts_at": "2027-07-13T14:00:00+00:00", "monthly_on": "second"}
    assert cadence_words(second, german) == "am zweiten Dienstag im Monat, 16:00"


def _cycle(**typed: str) -> dict[str, str]:
    return {"first_starts_at": "2027-03-02T16:00", "rule": "weeks", "every_weeks": "",
            "monthly_on": "", "online": ""} | typed  # fmt: skip


def test_the_cycle_form_sends_one_rule() -> None:
    errors = FormErrors()
    body = cadence_body(_cycle(every_weeks="4", online="yes"), errors)
    assert not errors
    assert body == {"first_starts_at": "2027-03-02T16:00:00+01:00", "online": True,
                    "every_weeks": 4}  # fmt: skip
    body = cadence_body(_cycle(rule="monthly", monthly_on="first", every_weeks="4"), errors)
    assert body["monthly_on"] == "first" and "every_weeks" not in body and not body["online"]
    for wrong in ("", "0", "13", "vier"):
        errors = FormErrors()
        cadence_body(_cycle(every_weeks=wrong), errors)
        assert errors.of("every_weeks"), wrong
    errors = FormErrors()
    cadence_body(_cycle(rule="monthly", monthly_on="fifth"), errors)
    assert errors.of("monthly_on")
    errors = FormErrors()
    cadence_body(_cycle(rule=""), errors)
    assert errors.of("rule")


def test_the_apis_refusals_of_a_cycle_at_the_date_in_words() -> None:
    message = "Value error, first_starts_at is not on the last Tuesday of its month"
    error = {"loc": ["body"], "type": "value_error", "msg": message}
    not_in_week = {"detail": "invalid", "errors": [error]}
    found = cadence_refusal(ApiError(422, not_in_week))
    assert found.of("first_starts_at") == [
        "The first meeting is not on that weekday of the chosen week of its month."
    ]
    past = cadence_refusal(
        ApiError(422, {"detail": "the cycle's first meeting is at a time ahead"})
    )
    assert past.of("first_starts_at") == ["The first meeting must lie ahead."]
    none = cadence_refusal(ApiError(409, {"detail": "the group has no meeting cycle"}))
    assert none.of(FORM) == ["The group has no meeting cycle."]
    closed = cadence_refusal(ApiError(409, {"detail": "cannot set the meeting cycle: closed"}))
    assert closed.of(FORM) == ["cannot set the meeting cycle: closed"]


def test_history_codes_in_words() -> None:
    assert coordination_event_label("wir.coordination.group_formed") == "Working group formed"
    assert coordination_event_label("fachtag_documented") == "Day documented"
    assert coordination_event_label("something_new") == "something_new"


def test_the_edit_form_shows_the_actors_lists_as_typed() -> None:
    actor = {"name": "TSV", "type": "club", "place": "Korbach", "languages": ["ar", "tr"],
             "topics": ["Sport"], "applicant_organisation_id": None}  # fmt: skip
    kept = actor_kept(actor)
    assert kept["languages"] == "ar, tr" and kept["applicant_organisation_id"] == ""
    assert actor_body(kept, FormErrors())["languages"] == ["ar", "tr"]


class _Network:
    """The coordination API's contact lists, counting the institutions read, and its
    institutions by id (``/actors/{id}``, named "Verein <id>"), counted apart (a fake)."""

    def __init__(self, contacts: dict[str, list[dict[str, Any]]]) -> None:
        self.contacts = contacts
        self.read: list[str] = []
        self.named: list[str] = []

    async def get(
        self, service: str, path: str, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        actor_id = path.split("/")[2]
        if not path.endswith("/contacts"):
            self.named.append(actor_id)
            return {"id": actor_id, "name": f"Verein {actor_id}"}
        self.read.append(actor_id)
        return {"items": self.contacts[actor_id]}


@dataclass
class _View:
    api: _Network

    def gettext(self, message: str) -> str:
        return message


def _contact(ident: str, name: str | None) -> dict[str, Any]:
    return {"id": ident, "name": name, "erased_at": None if name else "2027-01-01T00:00:00Z"}


async def test_contacts_are_looked_for_at_the_members_first_and_no_further_than_needed() -> None:
    actors = {f"a{n}": f"Verein {n}" for n in range(20)}
    lists: dict[str, list[dict[str, Any]]] = {a: [] for a in actors}
    lists["a3"] = [_contact("c-member", "Elif Yilmaz")]
    lists["a7"] = [_contact("c-owner", "Jonas Weber"), _contact("c-gone", None)]
    network = _Network(lists)
    view = cast(View, _View(network))
    refs = [{"kind": "actor", "id": "a3"}, {"kind": "contact", "id": "c-member"},
            {"kind": "staff", "id": "clara.coord"}, {"kind": "contact", "id": "c-owner"},
            {"kind": "contact", "id": "c-gone"}]  # fmt: skip
    known = await contacts_of(view, ["a3"], actors)
    named = await ref_names(view, refs, actors, known, read=["a3"])
    assert named["contact:c-member"] == Named("Elif Yilmaz (Verein 3)")
    assert named["contact:c-owner"] == Named("Jonas Weber (Verein 7)")
    assert named["contact:c-gone"] == Named("Erased on request (Verein 7)", erased=True)
    assert named["actor:a3"].text == "Verein 3" and named["staff:clara.coord"].text == "clara.coord"
    # the member institution once, then batches of the others until both were found
    assert network.read.count("a3") == 1
    assert len(network.read) == 1 + 2 * BATCH < len(actors)


async def test_participants_in_words_a_refugee_never_by_case() -> None:
    network = _Network({"a1": [_contact("c1", "Elif Yilmaz")]})
    participants: list[dict[str, Any]] = [
        {"participant_id": "p1", "kind": "contact", "contact_id": "c1", "actor_id": "a1"},
        {"participant_id": "p2", "kind": "staff", "user_id": "clara.coord", "actor_id": None},
        {"participant_id": "p3", "kind": "refugee", "case_id": None, "actor_id": None},
    ]
    names = await participant_names(cast(View, _View(network)), participants, {"a1": "TSV"})
    assert names == {"p1": "Elif Yilmaz (TSV)", "p2": "clara.coord", "p3": "Refugee (case file)"}


async def test_a_days_participants_read_only_their_own_institutions() -> None:
    """Each registered contact's institution once (its name too where the page lacks it),
    no other institution of the network; a contact without ``actor_id`` keeps its id."""
    lists: dict[str, list[dict[str, Any]]] = {f"a{n}": [] for n in range(20)}
    lists["a3"] = [_contact("c1", "Elif Yilmaz"), _contact("c2", None)]
    lists["a9"] = [_contact("c3", "Jonas Weber")]
    network = _Network(lists)
    participants: list[dict[str, Any]] = [
        {"participant_id": "p1", "kind": "contact", "contact_id": "c1", "actor_id": "a3"},
        {"participant_id": "p2", "kind": "contact", "contact_id": "c2", "actor_id": "a3"},
        {"participant_id": "p3", "kind": "contact", "contact_id": "c3", "actor_id": "a9"},
        {"participant_id": "p4", "kind": "contact", "contact_id": "c-old", "actor_id": None},
    ]
    names = await participant_names(cast(View, _View(network)), participants, {"a3": "TSV"})
    assert names == {
        "p1": "Elif Yilmaz (TSV)",
        "p2": "Erased on request (TSV)",
        "p3": "Jonas Weber (Verein a9)",
        "p4": "c-old",
    }
    assert sorted(network.read) == ["a3", "a9"] and network.named == ["a9"]


async def test_institution_names_read_only_those_not_known() -> None:
    network = _Network({})
    view = cast(View, _View(network))
    named = await institution_names(view, ["a1", "a2", "a2"], {"a1": "TSV"})
    assert named == {"a1": "TSV", "a2": "Verein a2"} and network.named == ["a2"]
