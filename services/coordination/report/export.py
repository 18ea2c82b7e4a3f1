"""The activity report as CSV (shared/csv_export.py, the one CSV format) and its labels.

One row per figure: ``section``, ``item``, ``count``, so a spreadsheet sums and filters
them; sections and items are stable English codes for scripts, the PDF shows German labels.
"""

from __future__ import annotations

from collections.abc import Iterator

from services.coordination.fachtage.schemas import FachtagLevel
from services.coordination.report.figures import ActivityReport, ReportPriority
from shared.contracts.coordination_activities import ParticipantKind
from shared.csv_export import Cell, CsvFormat, csv_text

HEADER = ("section", "item", "date", "count")

PRIORITY_TITLES = {
    ReportPriority.coordination: "WIR-Koordination (Förderschwerpunkt 1)",
    ReportPriority.case_management: "WIR-Fallmanagement (Förderschwerpunkt 2)",
}
KIND_LABELS = {
    ParticipantKind.contact: "Ansprechpersonen der Akteure",
    ParticipantKind.staff: "Mitarbeitende",
    ParticipantKind.refugee: "Geflüchtete",
}
LEVEL_LABELS = {
    FachtagLevel.district: "Kreisebene",
    FachtagLevel.state: "Landesebene (Hessen)",
    FachtagLevel.national: "Bundesebene",
}
STATUS_LABELS = {
    "planned": "geplant",
    "in_progress": "in Umsetzung",
    "completed": "abgeschlossen",
    "discontinued": "abgebrochen",
}


def rows(report: ActivityReport) -> Iterator[tuple[Cell, ...]]:
    yield ("meetings", "held", None, report.meetings_held)
    for group in report.meetings_by_working_group:
        yield ("meetings_by_working_group", group.working_group, None, group.meetings)
    yield ("actors", "reached", None, report.actors_reached)
    for actor_type, count in report.actors_reached_by_type.items():
        yield ("actors_by_type", actor_type, None, count)
    yield ("events", "held", None, report.events_held)
    yield ("events", "documented", None, report.events_documented)
    yield ("participants", "total", None, report.participants)
    for kind, count in report.participants_by_kind.items():
        yield ("participants_by_kind", kind.value, None, count)
    for level, count in report.events_by_level.items():
        yield ("events_by_level", level.value, None, count)
    for level, count in report.participants_by_level.items():
        yield ("participants_by_level", level.value, None, count)
    for line in report.events:
        yield ("event", line.title, line.held_on, line.participants)
    yield ("measures", "total", None, report.measures)
    yield ("measures", "institutions_accompanied", None, report.institutions_accompanied)
    for status, count in report.measures_by_status.items():
        yield ("measures_by_status", status, None, count)


def report_csv(report: ActivityReport, *, csv_format: CsvFormat) -> str:
    return csv_text(HEADER, rows(report), csv_format=csv_format)
