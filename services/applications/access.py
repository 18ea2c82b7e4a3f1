"""Who may do what in the applications service.

Roles (from the bearer token, shared/auth.py):

- ``programme_officer``: runs the programme: rounds, priorities, organisations, reviewer
  assignment, payments, change requests, report review; may act for an applicant (paper
  applications), and sees every application.
- ``approver``: decides applications (four-eyes: never the reviewer); sees every application.
- ``reviewer``: sees and reviews only the applications assigned to them; declares their own
  conflicts of interest.
- ``applicant``: bound to one organisation (``wir_org``); sees and acts on that
  organisation's applications only, never on the reviewers' scores.
- ``admin``: configuration and the audit log; reads every application.

An application a user may not see answers 404, exactly like one that does not exist.

A command on an application gets an :class:`ApplicationCommand` (``*CommandDep``), built
once the sender may act on it; a route hands it to one use case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from services.applications.applications.commands import ApplicationCommand
from services.applications.applications.models import Application
from services.applications.applications.queries import get_application
from services.applications.office import staff
from shared.auth import Actor, ActorDep, Role, allow
from shared.deps import IdempotencyKey, SessionDep, SettingsDep, TemporalDep
from shared.problems import ProblemError, not_found
from shared.settings import WirSettings

#: Roles that see every application.
OFFICE = (Role.programme_officer, Role.approver, Role.admin)
READERS = (*OFFICE, Role.reviewer, Role.applicant)

SignedIn = ActorDep
Officer = Annotated[Actor, Depends(allow(Role.programme_officer))]
Configurer = Annotated[Actor, Depends(allow(Role.programme_officer, Role.admin))]
Office = Annotated[Actor, Depends(allow(*OFFICE))]
Reader = Annotated[Actor, Depends(allow(*READERS))]
StaffReader = Annotated[Actor, Depends(allow(*OFFICE, Role.reviewer))]
ConflictDeclarer = Annotated[Actor, Depends(allow(Role.programme_officer, Role.reviewer))]


def sees_review(viewer: Actor) -> bool:
    """Who reviews an application and how it was scored stays inside the authority."""
    return viewer.has(*OFFICE, Role.reviewer)


def can_read(actor: Actor, application: Application) -> bool:
    if actor.has(*OFFICE):
        return True
    if actor.has(Role.reviewer) and application.reviewer == actor.user:
        return True
    return actor.has(Role.applicant) and application.organisation_id == actor.organisation_id


def acts_for_organisation(actor: Actor, organisation_id: str) -> bool:
    """A programme officer acts for any organisation; an applicant only for their own."""
    if actor.has(Role.programme_officer):
        return True
    return actor.has(Role.applicant) and actor.organisation_id == organisation_id


async def _visible(session: SessionDep, actor: Actor, application_id: str) -> Application:
    application = await get_application(session=session, application_id=application_id)
    if not can_read(actor, application):
        raise not_found("application", application_id)
    return application


async def application_reader(application_id: str, session: SessionDep, actor: Reader) -> Actor:
    await _visible(session, actor, application_id)
    return actor


async def application_staff(application_id: str, session: SessionDep, actor: StaffReader) -> Actor:
    """Office staff and the assigned reviewer (reviews are internal to the authority)."""
    await _visible(session, actor, application_id)
    return actor


async def applicant_side(
    application_id: str,
    session: SessionDep,
    actor: Annotated[Actor, Depends(allow(Role.applicant, Role.programme_officer))],
) -> Actor:
    """The applicant organisation's own account, or a programme officer acting for it."""
    application = await _visible(session, actor, application_id)
    if not acts_for_organisation(actor, application.organisation_id):
        raise not_found("application", application_id)
    return actor


async def assigned_reviewer(
    application_id: str,
    session: SessionDep,
    actor: Annotated[Actor, Depends(allow(Role.reviewer))],
) -> Actor:
    """Only the reviewer assigned: to anyone else holding just the reviewer role the
    application is invisible (404)."""
    await _visible(session, actor, application_id)
    return actor


def check_organisation(actor: Actor, organisation_id: str) -> None:
    """A new application names an organisation the user may act for."""
    if not acts_for_organisation(actor, organisation_id):
        raise ProblemError(
            403, "Not allowed", "You can only create applications for your own organisation."
        )


def check_reviewer_self(actor: Actor, reviewer: str) -> None:
    """Reviewers manage their own declared conflicts; programme officers anyone's."""
    if not actor.has(Role.programme_officer) and actor.user != reviewer:
        raise ProblemError(403, "Not allowed", "Reviewers can only see their own conflicts.")


AppReader = Annotated[Actor, Depends(application_reader)]
AppStaff = Annotated[Actor, Depends(application_staff)]
ApplicantSide = Annotated[Actor, Depends(applicant_side)]
AssignedReviewer = Annotated[Actor, Depends(assigned_reviewer)]
Approver = Annotated[Actor, Depends(allow(Role.approver))]


@dataclass(frozen=True)
class _Means:
    """What carries any command out: the session, the Temporal client, the settings and
    the request's idempotency key."""

    session: AsyncSession
    client: Client
    settings: WirSettings
    idempotency_key: str | None

    async def command(self, application_id: str, actor: Actor) -> ApplicationCommand:
        # before the command: a letter its event issues is signed with this name
        await staff.remember(session=self.session, actor=actor)
        # the actor's guard loaded the row already: this finds it in the session
        application = await _visible(self.session, actor, application_id)
        return ApplicationCommand(
            session=self.session,
            client=self.client,
            settings=self.settings,
            actor=actor,
            application=application,
            idempotency_key=self.idempotency_key,
        )


async def _means(
    session: SessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> _Means:
    return _Means(session, client, settings, idempotency_key)


Means = Annotated[_Means, Depends(_means)]


async def applicant_command(
    application_id: str, actor: ApplicantSide, means: Means
) -> ApplicationCommand:
    return await means.command(application_id, actor)


async def officer_command(application_id: str, actor: Officer, means: Means) -> ApplicationCommand:
    return await means.command(application_id, actor)


async def approver_command(
    application_id: str, actor: Approver, means: Means
) -> ApplicationCommand:
    return await means.command(application_id, actor)


async def reviewer_command(
    application_id: str, actor: AssignedReviewer, means: Means
) -> ApplicationCommand:
    return await means.command(application_id, actor)


#: A command of the applicant organisation (or a programme officer acting for it).
ApplicantCommandDep = Annotated[ApplicationCommand, Depends(applicant_command)]
#: A command of a programme officer (payments, changes, reports, reviewer).
OfficerCommandDep = Annotated[ApplicationCommand, Depends(officer_command)]
#: The decision, by an approver.
ApproverCommandDep = Annotated[ApplicationCommand, Depends(approver_command)]
#: The review, by the reviewer assigned.
ReviewerCommandDep = Annotated[ApplicationCommand, Depends(reviewer_command)]
