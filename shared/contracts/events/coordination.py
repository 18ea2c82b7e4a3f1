"""Events of the WIR coordination office (``wir.coordination.*``): the working groups.

Only ids, codes and dates: never a contact person's name, e-mail or telephone number (they
are personal data, kept in the coordination service's database alone), never free text
such as an agenda or minutes. An actor's contact person appears as its contact id.

Part 2 (specialist days, measures, the activity report) has its events in
``coordination_activities.py``, on the same :class:`CoordinationEvent` base.
"""

from __future__ import annotations

from typing import ClassVar

from shared.contracts.envelope import EventData, register


class CoordinationEvent(EventData):
    """Base of every ``wir.coordination.*`` event."""


class WorkingGroupEvent(CoordinationEvent):
    group_id: str

    def entity_id(self) -> str:
        return self.group_id


@register
class WorkingGroupFormed(WorkingGroupEvent):
    """The coordination office formed a working group (its workflow started)."""

    event_type: ClassVar[str] = "wir.coordination.group_formed"
