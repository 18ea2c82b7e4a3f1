"""The application as a user may see it: every route that answers with an application
(a read or any command) builds its body here."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.access import sees_review
from services.applications.applications import queries
from services.applications.applications.commands import ApplicationCommand
from services.applications.applications.models import Application
from services.applications.applications.schemas import (
    ApplicationOut,
    ApplicationSummary,
    HistoryEntry,
    PaymentOut,
)
from shared.auth import Actor
from shared.contracts import grants
from shared.contracts.grants import ApplicationStage

#: What the authority keeps to itself: who reviews an application and how it was scored.
INTERNAL_EVENTS = frozenset({"wir.application.reviewer_assigned", "wir.application.reviewed"})

#: The fields of the full view that the summary lacks and the row holds as they are.
_DETAIL_FIELDS = tuple(
    name
    for name in ApplicationOut.model_fields
    if name not in ApplicationSummary.model_fields
    and name not in ("workflow_id", "payments", "history")
)


async def application_view(
    *, session: AsyncSession, application: Application, viewer: Actor
) -> ApplicationOut:
    """The application as ``viewer`` may see it: applicants without the review."""
    entries = await queries.history(session=session, application_id=application.id)
    ledger = await queries.payments(session=session, application_id=application.id)
    summary = ApplicationSummary.model_validate(application)
    view = ApplicationOut(
        **summary.model_dump(),
        **{name: getattr(application, name) for name in _DETAIL_FIELDS},
        workflow_id=None
        if application.stage == ApplicationStage.draft
        else grants.workflow_id(application.id),
        payments=[PaymentOut.model_validate(p) for p in ledger],
        history=[HistoryEntry.model_validate(e) for e in entries],
    )
    if sees_review(viewer):
        return view
    return view.model_copy(
        update={
            "reviewer": None,
            "review_score": None,
            "review_max_score": None,
            "recommendation": None,
            "history": [h for h in view.history if h.type not in INTERNAL_EVENTS],
        }
    )


async def answer(cmd: ApplicationCommand, application: Application) -> ApplicationOut:
    """The answer to a command: the application as its sender may see it."""
    return await application_view(session=cmd.session, application=application, viewer=cmd.actor)
