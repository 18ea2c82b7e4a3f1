"""The Rückforderungsbescheid: issued once when the ``reclaim_set`` fact is projected
(like the Zuwendungsbescheid from ``approved``), and shown as HTML or PDF to whoever may
read the application.

What it states is kept at issue (``ReclaimFacts``: amounts, address, date, the signing
officer's display name). The reason is what the officer wrote with the report review: that
document is stored in the command's commit, after its events are projected, so the letter
takes it when it is shown, not when it is issued.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
)
from services.applications.catalogue.models import Organisation
from services.applications.office import staff
from services.applications.office.bescheid import file_number
from services.applications.office.letter import BERLIN, Letter, address_lines
from services.applications.office.reclaim import ReclaimFacts, build_reclaim_notice
from services.applications.rounds.models import FundingRound
from shared.contracts.events.application import ReclaimSet
from shared.problems import ProblemError, not_found

RECLAIM_NOTICE = "reclaim_notice"
REPORT_REVIEW = "report_review"


async def issue_reclaim_notice(
    *,
    session: AsyncSession,
    application: Application,
    reclaim: ReclaimSet,
    at: datetime,
    staff_directory: Mapping[str, str],
) -> None:
    """Keep what the Rückforderungsbescheid states as it stands now. Does not commit."""
    signer = await staff.display_name(
        session=session, user_id=reclaim.actor, directory=staff_directory
    )
    facts = await _facts(
        session=session,
        application=application,
        reclaim_amount=reclaim.reclaim_amount,
        decided_at=at,
        decided_by=reclaim.actor,
        signer=signer,
    )
    session.add(
        ApplicationDocument(
            application_id=application.id,
            kind=RECLAIM_NOTICE,
            ref=None,
            body={"facts": facts.model_dump(mode="json")},
            created_at=datetime.now(BERLIN),
            created_by=reclaim.actor or "",
        )
    )


async def reclaim_notice(*, session: AsyncSession, application_id: str) -> Letter:
    """The Rückforderungsbescheid of the application (409 when nothing was reclaimed)."""
    application = await session.get(Application, application_id)
    if application is None:
        raise not_found("application", application_id)
    if application.reclaim_amount is None:
        raise ProblemError(
            409,
            "No reclaim",
            f"no funds of application {application_id} have been reclaimed "
            f"(stage {application.stage})",
        )
    issued = await _newest(session, application_id, RECLAIM_NOTICE)
    if issued is not None:
        facts = ReclaimFacts.model_validate(issued.body["facts"])
    else:  # reclaimed before notices were issued: from the rows and the event's record
        facts = await _facts_of_old_reclaim(session=session, application=application)
    review = await _newest(session, application_id, REPORT_REVIEW, outcome="reclaim")
    reason = review.body.get("reason") if review is not None else None
    return build_reclaim_notice(facts, reason=str(reason) if reason else None)


async def _newest(
    session: AsyncSession, application_id: str, kind: str, *, outcome: str | None = None
) -> ApplicationDocument | None:
    rows = await session.scalars(
        select(ApplicationDocument)
        .where(
            ApplicationDocument.application_id == application_id,
            ApplicationDocument.kind == kind,
        )
        .order_by(ApplicationDocument.id.desc())
    )
    return next((r for r in rows if outcome is None or r.body.get("outcome") == outcome), None)


async def _facts(
    *,
    session: AsyncSession,
    application: Application,
    reclaim_amount: Decimal,
    decided_at: datetime,
    decided_by: str | None,
    signer: str,
) -> ReclaimFacts:
    organisation = await session.get(Organisation, application.organisation_id)
    round_ = await session.get(FundingRound, application.round_id) if application.round_id else None
    if organisation is None:  # the foreign key makes this impossible
        raise not_found("organisation of application", application.id)
    return ReclaimFacts(
        file_number=file_number(application),
        round_id=round_.id if round_ else "",
        round_title=round_.title if round_ else "",
        project_title=application.title,
        address=address_lines(organisation),
        granted_amount=application.granted_amount or Decimal("0"),
        paid_amount=application.paid_amount,
        spent_amount=application.spent_amount,
        reclaim_amount=reclaim_amount,
        approved_at=application.decided_at,
        decided_at=decided_at,
        decided_by=decided_by,
        signer=signer,
    )


async def _facts_of_old_reclaim(*, session: AsyncSession, application: Application) -> ReclaimFacts:
    event = await session.scalar(
        select(ApplicationEvent)
        .where(
            ApplicationEvent.application_id == application.id,
            ApplicationEvent.type == ReclaimSet.event_type,
        )
        .order_by(ApplicationEvent.seq.desc())
        .limit(1)
    )
    decided_by = event.actor if event is not None else None
    signer = await staff.display_name(session=session, user_id=decided_by, directory={})
    assert application.reclaim_amount is not None
    return await _facts(
        session=session,
        application=application,
        reclaim_amount=application.reclaim_amount,
        decided_at=event.time if event is not None else application.updated_at,
        decided_by=decided_by,
        signer=signer,
    )
