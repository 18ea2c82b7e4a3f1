"""Who may see what in the notifications service.

- ``operator`` and ``admin``: everything — the inbox, recipients and their addresses,
  webhooks, the delivery log and dead letters.
- ``programme_officer``: the inbox of organisations, of the programme's teams and of
  its reviewers.
- ``reviewer`` / ``approver``: the notices to their team (addressee kind ``role``); a
  reviewer also those addressed to them (kind ``reviewer``: applications assigned to them).
- ``case_manager``: the notices addressed to them.
- ``coordinator``: the coordination office's team notices (kind ``role``, ``coordinator``).
- Everyone with an inbox: the working groups' notices addressed to them as staff (kind
  ``staff``: a meeting's invitation, an action item they own, an invitation to send).
- ``applicant``: the notices to their own organisation.

A notification outside a user's scope answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy import and_, or_
from sqlalchemy.sql.elements import ColumnElement

from services.notifications.inbox.models import Notification
from services.notifications.notices.rules import AddresseeKind
from shared.auth import Actor, Role, allow

ALL_SEEING = (Role.operator, Role.admin)
INBOX_ROLES = (
    *ALL_SEEING,
    Role.programme_officer,
    Role.reviewer,
    Role.approver,
    Role.case_manager,
    Role.coordinator,
    Role.applicant,
)

Operator = Annotated[Actor, Depends(allow(*ALL_SEEING))]
InboxReader = Annotated[Actor, Depends(allow(*INBOX_ROLES))]


def inbox_scope(actor: Actor) -> ColumnElement[bool] | None:
    """The condition on notifications this user may see; None: all of them."""
    if actor.has(*ALL_SEEING):
        return None
    kind, addressee = Notification.addressee_kind, Notification.addressee
    allowed: list[ColumnElement[bool]] = []
    if actor.has(Role.programme_officer):
        allowed.append(
            kind.in_(
                [
                    AddresseeKind.organisation.value,
                    AddresseeKind.role.value,
                    AddresseeKind.reviewer.value,
                ]
            )
        )
    teams = [role.value for role in (Role.reviewer, Role.approver) if actor.has(role)]
    if teams:
        allowed.append(and_(kind == AddresseeKind.role.value, addressee.in_(teams)))
    if actor.has(Role.reviewer):
        allowed.append(and_(kind == AddresseeKind.reviewer.value, addressee == actor.user))
    if actor.has(Role.case_manager):
        allowed.append(and_(kind == AddresseeKind.case_manager.value, addressee == actor.user))
    # staff notices of the working groups (services/coordination), and the coordination
    # office's team notices for its coordinators
    allowed.append(and_(kind == AddresseeKind.staff.value, addressee == actor.user))
    if actor.has(Role.coordinator):
        allowed.append(and_(kind == AddresseeKind.role.value, addressee == Role.coordinator.value))
    if actor.has(Role.applicant) and actor.organisation_id:
        allowed.append(
            and_(kind == AddresseeKind.organisation.value, addressee == actor.organisation_id)
        )
    return or_(*allowed) if allowed else or_(False)
