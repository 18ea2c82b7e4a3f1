"""The Zuwendungsbescheid of an approval: issued once when the approval is projected, kept
as issued, and shown (HTML or PDF) to whoever may read the application.

The Bescheid is issued from the ``approved`` fact (the event), not from the request that
asked for it: whichever path projects the event first (the decision's answer or the event
consumer) issues it, exactly once, signed with the display name of the deciding actor the
event names (``staff``). Its document keeps the letter's content (``letter``), from which
the PDF is rendered, and the HTML as issued (``html``); a Bescheid issued before PDF
letters has only the HTML, and its PDF is built from the rows as they stand.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.models import Application, ApplicationDocument
from services.applications.catalogue.models import FundingPriority, Organisation
from services.applications.office import staff
from services.applications.office.bescheid import APPROVAL_STAGES, Approval, build_bescheid
from services.applications.office.letter import BERLIN, Letter
from services.applications.office.letter_html import render_html
from services.applications.rounds.models import FundingRound
from shared.contracts import report_dates
from shared.contracts.events.application import ApplicationApproved
from shared.contracts.grants import Deadlines
from shared.problems import ProblemError, not_found

BESCHEID = "bescheid"


def _approved(application: Application) -> Application:
    if application.stage not in APPROVAL_STAGES or application.granted_amount is None:
        raise ProblemError(
            409,
            "No approval",
            f"application {application.id} has not been approved (stage {application.stage})",
        )
    return application


async def _issued(*, session: AsyncSession, application_id: str) -> ApplicationDocument | None:
    application = await session.get(Application, application_id)
    if application is None:
        raise not_found("application", application_id)
    _approved(application)
    document: ApplicationDocument | None = await session.scalar(
        select(ApplicationDocument)
        .where(
            ApplicationDocument.application_id == application_id,
            ApplicationDocument.kind == BESCHEID,
        )
        .order_by(ApplicationDocument.id.desc())
        .limit(1)
    )
    return document


async def bescheid(*, session: AsyncSession, application_id: str) -> str:
    """The Zuwendungsbescheid as issued at the approval, as HTML; rendered afresh only for
    an approval that predates issued documents."""
    issued = await _issued(session=session, application_id=application_id)
    if issued is not None:
        return str(issued.body["html"])
    return render_html(await _fresh(session=session, application_id=application_id))


async def bescheid_letter(*, session: AsyncSession, application_id: str) -> Letter:
    """The Zuwendungsbescheid's content as issued (for the PDF)."""
    issued = await _issued(session=session, application_id=application_id)
    if issued is not None and "letter" in issued.body:
        return Letter.model_validate(issued.body["letter"])
    return await _fresh(session=session, application_id=application_id)


async def _fresh(*, session: AsyncSession, application_id: str) -> Letter:
    application = await session.get(Application, application_id)
    assert application is not None  # _issued checked it
    signer = await staff.display_name(session=session, user_id=application.decided_by, directory={})
    return await _build(session=session, application=application, approval=None, signer=signer)


async def issue_bescheid(
    *,
    session: AsyncSession,
    application: Application,
    approved: ApplicationApproved,
    at: datetime,
    staff_directory: Mapping[str, str],
) -> None:
    """Keep the Bescheid as it reads at the approval: later changes (an extension, a new
    cost plan) do not rewrite a document that was sent. Does not commit."""
    approval = Approval(
        granted_amount=approved.granted_amount, decided_by=approved.actor, decided_at=at
    )
    signer = await staff.display_name(
        session=session, user_id=approved.actor, directory=staff_directory
    )
    letter = await _build(
        session=session, application=application, approval=approval, signer=signer
    )
    session.add(
        ApplicationDocument(
            application_id=application.id,
            kind=BESCHEID,
            ref=None,
            body={"html": render_html(letter), "letter": letter.model_dump(mode="json")},
            created_at=datetime.now(BERLIN),
            created_by=approved.actor or "",
        )
    )


async def _build(
    *,
    session: AsyncSession,
    application: Application,
    approval: Approval | None,
    signer: str | None,
) -> Letter:
    """The Zuwendungsbescheid of the application, from its rows."""
    round_ = await session.get(FundingRound, application.round_id) if application.round_id else None
    if round_ is None:
        raise ProblemError(
            409, "No funding round", f"application {application.id} belongs to no funding round"
        )
    organisation = await session.get(Organisation, application.organisation_id)
    priority = await session.get(FundingPriority, application.priority_code)
    if organisation is None or priority is None:  # foreign keys make this impossible
        raise not_found("organisation or priority of application", application.id)
    deadlines = Deadlines.model_validate(round_.deadlines)
    return build_bescheid(
        application=application,
        organisation=organisation,
        round_=round_,
        priority_title=priority.title,
        deadlines=deadlines,
        reports=_report_dates(application, deadlines),
        approval=approval,
        signer=signer,
    )


def _report_dates(application: Application, deadlines: Deadlines) -> list[tuple[int, datetime]]:
    """The reports the Bescheid lists: interim reports per funding year, then the final one."""
    start, end = application.funding_period_start, application.funding_period_end
    if start is None or end is None:
        return []
    interim = report_dates.interim_report_dues(start, end) if deadlines.interim_reports else []
    final = report_dates.final_report_due(end, deadlines.final_report_months)
    return [*enumerate(interim, start=1), (0, final)]
