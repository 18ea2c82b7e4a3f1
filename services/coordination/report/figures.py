"""The figures of the year's activity report (Sachbericht), computed from plain facts.

Pure: the queries (``service``) gather the year's facts from the tables, this module counts
them, so the figures are tested without a database. What counts:

- **meetings held**: working-group meetings that took place in the year;
- **actors reached**: institutions of the network that took part in the year: invited to
  or attending a Fachtag held in the year, at a meeting of a working group in the year,
  or accompanied by an intercultural-opening measure active in the year; each counted once,
  by its type;
- **events and participants**: Fachtage held in the year, participants who attended, by
  kind (contact persons, staff, refugees) and both by the day's level (district, state,
  national); refugees are counted, never named;
- **measures by status**: every measure of the office that was active in the year.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from services.coordination.fachtage.schemas import FachtagLevel
from shared.contracts.coordination_activities import ParticipantKind


class ReportPriority(StrEnum):
    """The grant the report is attached to (its Verwendungsnachweis)."""

    coordination = "coordination"  # priority 1: WIR coordination
    case_management = "case_management"  # priority 2: WIR case management


@dataclass(frozen=True)
class MeetingFact:
    working_group: str
    held_on: date


@dataclass(frozen=True)
class FachtagFact:
    fachtag_id: str
    title: str
    held_on: date
    documented: bool
    attended: dict[ParticipantKind, int]
    level: FachtagLevel = FachtagLevel.district


@dataclass(frozen=True)
class MeasureFact:
    institution_id: str
    status: str


@dataclass(frozen=True)
class YearFacts:
    year: int
    meetings: list[MeetingFact]
    fachtage: list[FachtagFact]
    measures: list[MeasureFact]
    #: actor id -> actor type, of every institution reached in the year
    actors_reached: dict[str, str]


class WorkingGroupMeetings(BaseModel):
    working_group: str
    meetings: int


class FachtagLine(BaseModel):
    fachtag_id: str
    title: str
    level: FachtagLevel
    held_on: date
    documented: bool
    participants: int
    participants_by_kind: dict[ParticipantKind, int]


class ActivityReport(BaseModel):
    """The year's activity report of the coordination office."""

    year: int
    priority: ReportPriority
    generated_at: datetime
    meetings_held: int = Field(ge=0)
    meetings_by_working_group: list[WorkingGroupMeetings]
    actors_reached: int = Field(ge=0)
    actors_reached_by_type: dict[str, int]
    events_held: int = Field(ge=0)
    events_documented: int = Field(ge=0)
    participants: int = Field(ge=0, description="Attendances at the events held")
    participants_by_kind: dict[ParticipantKind, int]
    events_by_level: dict[FachtagLevel, int] = Field(description="Events held, by level")
    participants_by_level: dict[FachtagLevel, int] = Field(
        description="Attendances at the events held, by the event's level"
    )
    events: list[FachtagLine]
    institutions_accompanied: int = Field(ge=0, description="Institutions with a measure")
    measures: int = Field(ge=0)
    measures_by_status: dict[str, int]


def activity_report(
    facts: YearFacts, *, priority: ReportPriority, generated_at: datetime
) -> ActivityReport:
    meetings = [m for m in facts.meetings if m.held_on.year == facts.year]
    held = sorted(
        (f for f in facts.fachtage if f.held_on.year == facts.year),
        key=lambda f: (f.held_on, f.title),
    )
    by_group = Counter(m.working_group for m in meetings)
    by_kind = Counter({kind: 0 for kind in ParticipantKind})
    events_by_level = dict.fromkeys(FachtagLevel, 0)
    participants_by_level = dict.fromkeys(FachtagLevel, 0)
    for f in held:
        by_kind.update(f.attended)
        events_by_level[f.level] += 1
        participants_by_level[f.level] += sum(f.attended.values())
    return ActivityReport(
        year=facts.year,
        priority=priority,
        generated_at=generated_at,
        meetings_held=len(meetings),
        meetings_by_working_group=[
            WorkingGroupMeetings(working_group=g, meetings=n) for g, n in sorted(by_group.items())
        ],
        actors_reached=len(facts.actors_reached),
        actors_reached_by_type=dict(sorted(Counter(facts.actors_reached.values()).items())),
        events_held=len(held),
        events_documented=sum(1 for f in held if f.documented),
        participants=sum(by_kind.values()),
        participants_by_kind=dict(by_kind),
        events_by_level=events_by_level,
        participants_by_level=participants_by_level,
        events=[
            FachtagLine(
                fachtag_id=f.fachtag_id,
                title=f.title,
                level=f.level,
                held_on=f.held_on,
                documented=f.documented,
                participants=sum(f.attended.values()),
                participants_by_kind={k: f.attended.get(k, 0) for k in ParticipantKind},
            )
            for f in held
        ],
        institutions_accompanied=len({m.institution_id for m in facts.measures}),
        measures=len(facts.measures),
        measures_by_status=dict(sorted(Counter(m.status for m in facts.measures).items())),
    )
