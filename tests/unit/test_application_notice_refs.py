"""Application notices name the file number and title, or the id for an older event."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from services.notifications.notices.rules import notices_for
from services.notifications.notices.templates import TEMPLATES
from shared.contracts.envelope import EventData, build_event, event_model
from shared.contracts.events.application import (
    ApplicationRejected,
    ApplicationSubmitted,
    ReviewerAssigned,
)

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
APPLICATION_ID = "a7505e73-0000-4000-8000-000000000001"
BASE = {
    "application_id": APPLICATION_ID,
    "organisation_id": "o-1",
    "priority_code": "case_management",
    "round_id": "2027",
    "stage": "submitted",
    "seq": 1,
}
NAMED = {**BASE, "file_number": "WIR-2027-00042", "title": "WIR-Fallmanagement 2027"}


def _texts(data: EventData) -> list[tuple[str, str, str, str]]:
    event = build_event(event_id="e-1", data=data, time=NOW)
    return [(*n.text("de"), *n.text("en")) for n in notices_for(event)]


def test_the_subject_names_file_number_and_title() -> None:
    [(subject, body, subject_en, body_en)] = _texts(
        ApplicationSubmitted(**NAMED, requested_amount=Decimal("80000"))
    )
    assert subject == "Antrag WIR-2027-00042 \u201eWIR-Fallmanagement 2027\u201c: eingegangen"
    assert "Ihr Antrag WIR-2027-00042 \u201eWIR-Fallmanagement 2027\u201c" in body
    assert subject_en.startswith("Application WIR-2027-00042 \u201cWIR-Fallmanagement 2027\u201d")
    assert "WIR-2027-00042" in body_en
    assert APPLICATION_ID not in subject + body + subject_en + body_en


def test_an_event_from_before_file_numbers_names_the_id() -> None:
    [(subject, _, subject_en, _)] = _texts(ApplicationRejected(**BASE, reason="Budget"))
    assert subject == f"Antrag {APPLICATION_ID}: abgelehnt"
    assert subject_en.startswith(f"Application {APPLICATION_ID}:")


def test_a_title_with_line_breaks_stays_in_the_subject_line() -> None:
    data = ReviewerAssigned(**{**NAMED, "title": "Café\nder\r\n  Kulturen"}, reviewer="rita")
    [(subject, body, _, _)] = _texts(data)
    assert subject.startswith("Antrag WIR-2027-00042 \u201eCafé der Kulturen\u201c:")
    assert "zugewiesen" in subject and "zugewiesen" in body


@pytest.mark.parametrize(
    "template",
    sorted((TEMPLATES / "de").glob("wir.application.*.txt.j2"))
    + sorted((TEMPLATES / "en").glob("wir.application.*.txt.j2")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_application_template_names_the_application_by_ref(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    subject = text.partition("\n")[0]
    assert "{{ e|ref }}" in subject and "e.application_id" not in text
    assert issubclass(event_model(template.name.removesuffix(".txt.j2")), EventData)
