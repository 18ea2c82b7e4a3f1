"""Calling a specialist day off in the web front end: the reason checked as the API does,
the API's refusals at the reason field, the day list's stage filter, the stage in words, and
the case file's called-off registrations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request

from services.web.api import ApiError
from services.web.coordination_labels import DAY_STAGE_LABELS, DAY_STAGES
from services.web.forms import FORM
from services.web.i18n import load_translations
from services.web.pages.case_specialist_days import recent, registration_of
from services.web.pages.coord_day_commands import cancellation_refusal, reason_or_errors
from services.web.pages.coord_days import stage_filter


def _request(query: str) -> Request:
    return Request({"type": "http", "query_string": query.encode(), "headers": []})


def test_the_reason_is_trimmed_and_3_to_1000_characters_long() -> None:
    reason, errors = reason_or_errors("  Die Referentin ist erkrankt.  ")
    assert reason == "Die Referentin ist erkrankt." and not errors
    assert reason_or_errors(" ab ")[1].of("reason")
    assert reason_or_errors("x" * 1001)[1].of("reason")
    assert not reason_or_errors("x" * 1000)[1]


def test_the_apis_refusals_are_said_at_the_reason() -> None:
    late = cancellation_refusal(ApiError(409, {"detail": "the day is held"}))
    assert late.of("reason") and not late.of(FORM)
    problem = {"detail": "invalid", "errors": [
        {"loc": ["body", "reason"], "type": "string_too_short", "msg": "too short"}]}  # fmt: skip
    assert cancellation_refusal(ApiError(422, problem)).of("reason")


def test_the_day_list_filters_by_a_known_stage_only() -> None:
    assert stage_filter(_request("stage=cancelled")) == "cancelled"
    assert stage_filter(_request("stage=held")) == "held"
    assert stage_filter(_request("stage=lost")) == ""
    assert stage_filter(_request("")) == ""


def test_a_called_off_day_is_a_stage_in_words_but_none_of_the_six_steps() -> None:
    assert "cancelled" not in DAY_STAGES and len(DAY_STAGES) == 6
    assert load_translations("de").gettext(DAY_STAGE_LABELS["cancelled"]) == "Abgesagt"
    assert load_translations("en").gettext(DAY_STAGE_LABELS["cancelled"]) == "Called off"


def _day(stage: str, *statuses: str, starts: datetime | None = None) -> dict[str, Any]:
    participants: list[dict[str, Any]] = [
        {"participant_id": f"p{n}", "case_id": "case-1", "status": s}
        for n, s in enumerate(statuses)
    ]
    participants.append({"participant_id": "other", "case_id": None, "status": "registered"})
    return {"stage": stage, "participants": participants,
            "starts_at": (starts or datetime.now(UTC)).isoformat()}  # fmt: skip


def test_the_case_registration_on_an_open_day_and_on_a_day_called_off() -> None:
    assert registration_of(_day("registration_open", "cancelled", "registered"), "case-1") == {
        "participant_id": "p1", "case_id": "case-1", "status": "registered"}  # fmt: skip
    assert registration_of(_day("registration_open", "cancelled"), "case-1") is None
    called_off = registration_of(_day("cancelled", "cancelled", "cancelled"), "case-1")
    assert called_off is not None and called_off["participant_id"] == "p1"
    assert registration_of(_day("cancelled"), "case-1") is None


def test_only_days_called_off_lately_are_news_on_the_case_file() -> None:
    now = datetime(2027, 6, 1, tzinfo=UTC)
    soon, lately = now + timedelta(days=3), now - timedelta(days=29)
    long_ago = now - timedelta(days=31)
    days = [_day("cancelled", starts=t) for t in (soon, lately, long_ago)]
    assert [d["starts_at"] for d in recent(days, now)] == [soon.isoformat(), lately.isoformat()]
