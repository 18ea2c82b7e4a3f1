"""Who signs a letter: the deciding staff member's display name, from their user id.

The event that issues a letter names its actor by user id. The name comes from, in turn:
the ``name`` claim of the staff member's token, remembered (``StaffMember``) whenever they
send a command; the staff directory setting (``WIR_STAFF_DIRECTORY``); the user id itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.office.models import StaffMember
from shared.auth import Actor, Role

#: Roles whose holders act for the granting authority (and may sign its letters).
STAFF_ROLES = (Role.programme_officer, Role.approver, Role.reviewer, Role.admin)


async def remember(*, session: AsyncSession, actor: Actor) -> None:
    """Keep a staff member's display name from their token, committed at once (before the
    command is sent, so the event consumer, which may issue the letter first, finds it).
    Writes only when the name is new or changed; applicants' names are not kept."""
    name = actor.display_name
    if name is None or not actor.has(*STAFF_ROLES):
        return
    row = await session.get(StaffMember, actor.user)
    if row is not None and row.display_name == name:
        return
    if row is None:
        session.add(StaffMember(user_id=actor.user, display_name=name, updated_at=_now()))
    else:
        row.display_name, row.updated_at = name, _now()
    try:
        await session.commit()
    except IntegrityError:  # a concurrent command of theirs stored it a moment ago
        await session.rollback()


async def display_name(
    *, session: AsyncSession, user_id: str | None, directory: Mapping[str, str]
) -> str:
    """The name a letter is signed with: remembered claim, directory, or the user id."""
    if not user_id:
        return ""
    row = await session.get(StaffMember, user_id)
    if row is not None:
        return row.display_name
    return directory.get(user_id) or user_id


def _now() -> datetime:
    return datetime.now(UTC)
