"""Events of the audit log (``wir.audit.*``): who sent which command, never what it said."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from shared.contracts.envelope import EventData, register


@register
class AuditCommandRecorded(EventData):
    """A command reached a WIR service: who sent it (``actor``, the staff or account id of
    the token), what it was, which record it was about and how it ended. Each audit record
    is its own entity (``seq`` is always 1). No request body, no personal data."""

    event_type: ClassVar[str] = "wir.audit.command"
    audit_id: str
    service: str
    roles: list[str]
    action: str
    object_type: str | None
    object_id: str | None
    # The object that holds it, where the route names two (a referral's case).
    related_type: str | None = None
    related_id: str | None = None
    status: int
    # ok | rejected (4xx) | denied (403) | unauthenticated (401) | failed (5xx)
    outcome: str
    at: dt.datetime

    def entity_id(self) -> str:
        # The service leads the subject (wir.audit.command.<service>.<audit id>), so NATS
        # permissions let each service announce its own commands only.
        return f"{self.service}.{self.audit_id}"
