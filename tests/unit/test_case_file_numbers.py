"""Case file numbers (services/cases/cases/numbers.py), the name search's words
(names.py, search.py) and the case notices that name the file number."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

import pytest

from services.cases.app import create_app
from services.cases.cases.names import name_key, name_tokens
from services.cases.cases.numbers import as_file_number, file_number_year, format_file_number
from services.cases.cases.search import CaseSearch
from services.notifications.notices.rules import AddresseeKind, notices_for
from shared.contracts.cases import ClosureReason, DeclineReason, ReferralOutcome
from shared.contracts.envelope import EventData, build_event
from shared.contracts.events import case as events
from shared.problems import ProblemError
from shared.settings import WirSettings

NOW = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
CASE_ID = "3f0c6a52-9d1e-4d7b-a6f5-0b8e2f1c7d44"
NUMBER = "FM-2027-00042"
REFERRAL = {"referral_id": "ref-1", "offer_id": "offer-9"}


def test_numbers_are_formatted_and_counted_in_the_year_in_hessen() -> None:
    assert format_file_number(2026, 117) == "FM-2026-00117"
    assert format_file_number(2026, 123456) == "FM-2026-123456"
    # 23:30 UTC on 31 December is already the new year in Hessen (CET, +1)
    assert file_number_year(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == 2027
    assert file_number_year(datetime(2026, 12, 31, 22, 59, tzinfo=UTC)) == 2026
    assert as_file_number(" fm-2026-00117 ") == "FM-2026-00117"
    assert as_file_number("FM-2026-117") is None and as_file_number("WIR-2026-00117") is None


def test_names_match_whatever_their_case_and_accents() -> None:
    assert name_tokens("HADDADI") == name_tokens("Haddádi") == ["haddadi"]
    assert name_tokens("Al-Haddadi, Amína") == ["al", "haddadi", "amina"]
    assert name_key("Amína", "Al-Haddadi") == name_key("al haddadi", "AMINA") == "al amina haddadi"


def test_a_search_is_a_file_number_or_the_words_of_a_name() -> None:
    by_number = CaseSearch("fm-2027-00042")
    assert by_number.file_number == NUMBER and not by_number.by_name
    by_name = CaseSearch("Haddádi am")
    assert by_name.by_name and by_name.words == ["haddadi", "am"]
    with pytest.raises(ProblemError):
        CaseSearch("-- ..")  # no word at all
    with pytest.raises(ProblemError):
        CaseSearch(" ".join("abcdefghij"))  # more words than a name has


def _case_manager_events(**ids: str) -> list[EventData]:
    case = {"case_manager": "anna.cm", "stage": "in_progress", "seq": 5, **ids}
    return [
        events.CaseClosed(reason=ClosureReason.moved_away, **case),
        events.CaseReopened(**case),
        events.CaseTransferred(previous_case_manager="bernd.cm", **case),
        events.CaseInactive(last_activity_at=NOW, days_inactive=90, **case),
        events.FollowUpDue(follow_up_due_at=NOW, **case),
        events.ReferralAccepted(**REFERRAL, **case),
        events.ReferralDeclined(reason=DeclineReason.no_capacity, **REFERRAL, **case),
        events.ReferralCompleted(outcome=ReferralOutcome.successful, **REFERRAL, **case),
        events.ReferralEscalated(sent_at=NOW, days_open=14, **REFERRAL, **case),
    ]


def _texts(data: EventData) -> list[str]:
    notices = notices_for(build_event(event_id=str(uuid.uuid4()), data=data, time=NOW))
    assert all(n.addressee_kind is AddresseeKind.case_manager for n in notices)
    return [part for n in notices for lang in ("de", "en") for part in n.text(lang)]


def test_case_notices_name_the_file_number_instead_of_the_id() -> None:
    noticed = 0
    for data in _case_manager_events(case_id=CASE_ID, file_number=NUMBER):
        texts = _texts(data)
        noticed += bool(texts)
        for text in texts[::2]:  # every subject, in both languages
            assert NUMBER in text, (data.type_name(), text)
        assert not any(CASE_ID in text for text in texts), data.type_name()
    assert noticed >= 8


def test_events_older_than_file_numbers_are_named_by_the_case_id() -> None:
    for data in _case_manager_events(case_id=CASE_ID):
        texts = _texts(data)
        assert all(CASE_ID in text for text in texts[::2]), data.type_name()
        assert not any("None" in text for text in texts), data.type_name()


def test_the_provider_hears_of_a_referral_without_the_case() -> None:
    data = events.ReferralSent(
        case_id=CASE_ID, file_number=NUMBER, case_manager="anna.cm", stage="in_progress",
        seq=3, **REFERRAL,
    )  # fmt: skip
    (notice,) = notices_for(build_event(event_id="e-1", data=data, time=NOW))
    assert notice.addressee_kind is AddresseeKind.provider
    assert NUMBER not in notice.subject + notice.body and CASE_ID not in notice.body


def test_the_access_log_never_holds_a_name_searched_for() -> None:
    create_app(WirSettings())  # installs the access-log filter, connects nothing
    access = logging.getLogger("uvicorn.access")
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    level = access.level
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        for path in ("/cases?q=Hadd%C3%A1di", "/cases?limit=5&q=amina+haddadi&offset=0"):
            # as uvicorn's h11 and httptools protocols log each answered request
            access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", path, "1.1", 200)
        access.info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", "/cases?stage=closed", "1.1", 200
        )
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    assert lines == [
        '127.0.0.1:5 - "GET /cases?… HTTP/1.1" 200',
        '127.0.0.1:5 - "GET /cases?… HTTP/1.1" 200',
        '127.0.0.1:5 - "GET /cases?… HTTP/1.1" 200',
    ]
