"""The one deadline a Fachtag waits for, computed from its state (pure, deterministic).

- registration open: it closes by itself at ``registration_closes_at``;
- held, not documented: the documentation is reminded at ``documentation_due_at`` and
  then every ``reminder_interval_days`` until it is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from shared.contracts.coordination_activities import FachtagInput, FachtagStage, FachtagState


class DeadlineKind(StrEnum):
    close_registration = "close_registration"
    documentation_reminder = "documentation_reminder"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    at: datetime


def next_deadline(state: FachtagState, periods: FachtagInput) -> Deadline | None:
    if state.stage is FachtagStage.registration_open:
        return Deadline(DeadlineKind.close_registration, state.registration_closes_at)
    if state.stage is FachtagStage.held and state.documentation_due_at is not None:
        interval = timedelta(days=periods.reminder_interval_days)
        at = state.documentation_due_at + state.reminders_sent * interval
        return Deadline(DeadlineKind.documentation_reminder, at)
    return None
