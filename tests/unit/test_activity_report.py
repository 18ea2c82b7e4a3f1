"""The year's activity report: its figures from plain facts, the CSV, and the PDF read back
with pypdf."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

from pypdf import PdfReader

from services.coordination.fachtage.schemas import FachtagLevel as L
from services.coordination.report.export import report_csv
from services.coordination.report.figures import (
    FachtagFact,
    MeasureFact,
    MeetingFact,
    ReportPriority,
    YearFacts,
    activity_report,
)
from services.coordination.report.pdf import report_pdf
from shared.contracts.coordination_activities import ParticipantKind as K
from shared.csv_export import CsvFormat

AT = datetime(2028, 1, 15, 10, tzinfo=UTC)


def _facts() -> YearFacts:
    return YearFacts(
        year=2027,
        meetings=[
            MeetingFact("AG Arbeit", date(2027, 2, 1)),
            MeetingFact("AG Arbeit", date(2027, 5, 3)),
            MeetingFact("AG Sport", date(2027, 6, 9)),
            MeetingFact("AG Sport", date(2026, 12, 1)),  # last year's: not counted
        ],
        fachtage=[
            FachtagFact(
                "f2",
                "Interkulturelle Öffnung im Sportverein",
                date(2027, 9, 4),
                False,
                {K.contact: 6, K.staff: 2},
            ),
            FachtagFact(
                "f1",
                "Bewerben in Deutschland",
                date(2027, 3, 10),
                True,
                {K.contact: 2, K.staff: 1, K.refugee: 9},
            ),
        ],
        measures=[
            MeasureFact("i1", "completed"),
            MeasureFact("i1", "in_progress"),
            MeasureFact("i2", "planned"),
        ],
        actors_reached={"i1": "sports_club", "i2": "administration", "i3": "sports_club"},
    )


def test_the_figures_count_the_year() -> None:
    report = activity_report(_facts(), priority=ReportPriority.coordination, generated_at=AT)
    assert report.meetings_held == 3
    assert [(g.working_group, g.meetings) for g in report.meetings_by_working_group] == [
        ("AG Arbeit", 2),
        ("AG Sport", 1),
    ]
    assert (report.actors_reached, report.actors_reached_by_type) == (
        3,
        {"administration": 1, "sports_club": 2},
    )
    assert (report.events_held, report.events_documented, report.participants) == (2, 1, 20)
    assert report.participants_by_kind == {K.contact: 8, K.staff: 3, K.refugee: 9}
    assert [e.fachtag_id for e in report.events] == ["f1", "f2"]  # by date
    assert report.measures_by_status == {"completed": 1, "in_progress": 1, "planned": 1}
    assert (report.measures, report.institutions_accompanied) == (3, 2)


def test_the_csv_has_one_row_per_figure() -> None:
    report = activity_report(_facts(), priority=ReportPriority.coordination, generated_at=AT)
    lines = report_csv(report, csv_format=CsvFormat.plain).splitlines()
    assert lines[0] == "section,item,date,count"
    assert "meetings,held,,3" in lines
    assert "participants_by_kind,refugee,,9" in lines
    assert "event,Bewerben in Deutschland,2027-03-10,12" in lines
    assert "measures_by_status,planned,,1" in lines
    german = report_csv(report, csv_format=CsvFormat.de)
    assert german.startswith("\ufeffsection;item;date;count\r\n")
    assert "event;Bewerben in Deutschland;10.03.2027;12\r\n" in german


def test_the_pdf_reads_back_with_its_figures() -> None:
    report = activity_report(_facts(), priority=ReportPriority.case_management, generated_at=AT)
    data = report_pdf(report, office="Landkreis Waldeck-Frankenberg")
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Sachbericht 2027",
        "WIR-Fallmanagement (Förderschwerpunkt 2)",
        "Landkreis Waldeck-Frankenberg",
        "Sitzungen insgesamt 3",
        "Akteure insgesamt 3",
        "Teilnahmen insgesamt 20",
        "Geflüchtete 9",
        "10.03.2027 Bewerben in Deutschland 12",
        "Begleitete Institutionen 2",
        "in Umsetzung 1",
        "Seite 1 von",
    ):
        assert expected in text, expected


def test_events_and_participants_by_level() -> None:
    facts = _facts()
    national = FachtagFact(
        "f3", "Bundesfachtag Integration", date(2027, 11, 2), True, {K.staff: 4}, L.national
    )
    last_year = FachtagFact("f4", "Alt", date(2026, 11, 2), True, {K.staff: 7}, L.state)
    facts.fachtage.extend([national, last_year])
    report = activity_report(facts, priority=ReportPriority.coordination, generated_at=AT)
    # every level named, also one without events; the default level is the district's
    assert report.events_by_level == {L.district: 2, L.state: 0, L.national: 1}
    assert report.participants_by_level == {L.district: 20, L.state: 0, L.national: 4}
    assert sum(report.participants_by_level.values()) == report.participants == 24
    assert [e.level for e in report.events] == [L.district, L.district, L.national]
    lines = report_csv(report, csv_format=CsvFormat.plain).splitlines()
    assert "events_by_level,national,,1" in lines
    assert "participants_by_level,district,,20" in lines
    assert "events_by_level,state,,0" in lines
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(report, office="K"))).pages
    )
    assert "Bundesebene: Veranstaltungen / Teilnahmen 1 / 4" in text
    assert "Kreisebene: Veranstaltungen / Teilnahmen 2 / 20" in text
