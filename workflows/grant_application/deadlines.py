"""Report deadlines of a funded application, and which one the workflow must wake up for.

Pure functions of the workflow state: deterministic, so the workflow may call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.contracts import report_dates
from shared.contracts.grants import (
    ApplicationStage,
    Deadlines,
    GrantApplicationState,
    ReportDeadline,
)

#: The longest duration the workflow sets a timer for from a round's deadlines. The round's
#: schema allows far less (services/applications/rounds/schemas.py); this bound only keeps a
#: value stored before those bounds, or sent past them, from failing a workflow task
#: (``timedelta(days=10**9)`` raises OverflowError on every retry of the task).
MAX_DAYS = 10 * 366


def days(value: int) -> timedelta:
    """``value`` days as a duration, clamped to 0..MAX_DAYS."""
    return timedelta(days=min(max(value, 0), MAX_DAYS))


def reminder_offsets(deadlines: Deadlines) -> list[int]:
    """The round's reminder offsets the workflow acts on: positive (a reminder after the
    deadline is none), at most MAX_DAYS, each once, in the round's order."""
    clamped = (min(o, MAX_DAYS) for o in deadlines.reminder_offsets_days if o > 0)
    return list(dict.fromkeys(clamped))


def final_report_due(period_end: date, deadlines: Deadlines) -> datetime:
    return report_dates.final_report_due(period_end, deadlines.final_report_months)


def schedule_problem(state: GrantApplicationState, deadlines: Deadlines) -> str | None:
    """Why the report deadlines of ``state`` (its funding period) cannot be computed, or
    None. Validators call this before an update whose handler, or the run after it,
    computes them: a date past the calendar's end (year 10000) must be refused as a
    command, never raised in a workflow task."""
    try:
        for report in report_schedule(state, deadlines):
            _ = [report.due - timedelta(days=o) for o in reminder_offsets(deadlines)]
            _ = [report.due + days(deadlines.report_grace_days)]
    except (ValueError, OverflowError) as error:
        return (
            f"the report deadlines of a funding period ending {state.funding_period_end} "
            f"cannot be computed ({error})"
        )
    return None


def report_schedule(state: GrantApplicationState, deadlines: Deadlines) -> list[ReportDeadline]:
    """The reports owed for the current funding period; reports already submitted, and the
    reminders already sent for a due date that did not move, are kept."""
    dues = report_dates.interim_report_dues(state.funding_period_start, state.funding_period_end)
    wanted = [ReportDeadline(number=n, due=d) for n, d in enumerate(dues, start=1)]
    if not deadlines.interim_reports:
        wanted = []
    wanted.append(
        ReportDeadline(number=0, due=final_report_due(state.funding_period_end, deadlines))
    )
    earlier = {r.number: r for r in state.reports}
    schedule = []
    for report in wanted:
        old = earlier.get(report.number)
        if old is not None and (old.submitted or old.due == report.due):
            schedule.append(old)
        else:
            schedule.append(report)
    return schedule


class AlarmKind(StrEnum):
    remind = "remind"
    overdue = "overdue"
    escalate = "escalate"


@dataclass(frozen=True)
class Alarm:
    at: datetime
    kind: AlarmKind
    report: int  # ReportDeadline.number
    offset_days: int = 0


FINAL_REPORT_OPEN = (ApplicationStage.active, ApplicationStage.report_corrections)


def next_alarm(state: GrantApplicationState, deadlines: Deadlines, now: datetime) -> Alarm | None:
    """The earliest reminder, overdue notice or escalation still to be sent.

    Of several reminders already late (after a restart, or a period that began late) only
    the one nearest the deadline is sent.
    """
    alarms: list[Alarm] = []
    for report in state.reports:
        if report.submitted or (report.final and state.stage not in FINAL_REPORT_OPEN):
            continue
        if not report.overdue:
            reminder = _next_reminder(report, deadlines, now)
            if reminder is not None:
                alarms.append(reminder)
            alarms.append(Alarm(report.due, AlarmKind.overdue, report.number))
        elif report.final and not report.escalated and report.grace_due is not None:
            alarms.append(Alarm(report.grace_due, AlarmKind.escalate, report.number))
    return min(alarms, key=lambda a: (a.at, a.report), default=None)


def _next_reminder(report: ReportDeadline, deadlines: Deadlines, now: datetime) -> Alarm | None:
    pending = sorted(
        (o for o in reminder_offsets(deadlines) if o not in report.reminded), reverse=True
    )
    if not pending:
        return None
    late = [o for o in pending if report.due - timedelta(days=o) <= now]
    offset = late[-1] if late else pending[0]
    return Alarm(report.due - timedelta(days=offset), AlarmKind.remind, report.number, offset)


def mark_reminded(report: ReportDeadline, offset: int, deadlines: Deadlines) -> None:
    """A reminder ``offset`` days ahead also stands for the earlier (larger) offsets."""
    for other in reminder_offsets(deadlines):
        if other >= offset and other not in report.reminded:
            report.reminded.append(other)
