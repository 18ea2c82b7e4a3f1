"""The read model of applications: each workflow event, typed, on the shared skeleton.

``newest`` sets the row's fields the newest event decides; ``once`` does what happens once
per event, whatever order events arrive in: the budget's part (``rounds.budget``), the
payment ledger, the Zuwendungsbescheid of an approval (``office.letters``) and the
Rückforderungsbescheid of a reclaim (``office.reclaim_letters``): whichever path projects
the ``approved`` or ``reclaim_set`` event first (the command's answer or the event
consumer) issues the letter, once, signed by the actor the event names (their display name
from ``office.staff``, with ``staff_directory`` as the fallback).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.models import Application, ApplicationEvent
from services.applications.funding.models import PaymentRecord
from services.applications.office import letters, reclaim_letters
from services.applications.rounds import budget
from shared.contracts.envelope import CloudEvent, EventData
from shared.contracts.events.application import (
    AppealLodged,
    ApplicationApproved,
    ApplicationIneligible,
    ApplicationRejected,
    ApplicationResubmitted,
    ApplicationReviewed,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    ChangeDecided,
    DecisionFinal,
    FinalReportEscalated,
    FinalReportOverdue,
    FinalReportSubmitted,
    FundingStarted,
    PaymentApproved,
    PaymentRejected,
    PaymentRequested,
    ReclaimSet,
    RepaymentRecorded,
    ReportCorrectionsRequested,
    ReviewerAssigned,
)
from shared.projection import Projection


class ApplicationProjection(Projection[Application]):
    entity = Application
    history = ApplicationEvent
    entity_key = "application_id"

    def __init__(
        self, session: AsyncSession, *, staff_directory: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(session)
        self.staff_directory: Mapping[str, str] = staff_directory or {}

    async def once(self, entity: Application, payload: EventData, event: CloudEvent) -> None:
        session, directory = self.session, self.staff_directory
        match payload:
            case ApplicationApproved():
                await letters.issue_bescheid(
                    session=session,
                    application=entity,
                    approved=payload,
                    at=event.time,
                    staff_directory=directory,
                )
            case ReclaimSet():
                await reclaim_letters.issue_reclaim_notice(
                    session=session,
                    application=entity,
                    reclaim=payload,
                    at=event.time,
                    staff_directory=directory,
                )
            case ApplicationRejected() | ApplicationWithdrawn():
                await budget.release(session=session, application_id=entity.id)
            case PaymentRequested():
                session.add(
                    PaymentRecord(
                        id=payload.payment_id,
                        application_id=entity.id,
                        amount=payload.amount,
                        status="requested",
                        requested_at=event.time,
                        requested_by=payload.actor,
                    )
                )
            case PaymentApproved() | PaymentRejected():
                await _decide_payment(session, entity, payload, event)
            case RepaymentRecorded():
                await budget.repaid(session=session, application=entity, amount=payload.amount)

    def newest(self, entity: Application, payload: EventData, event: CloudEvent) -> None:
        entity.stage = payload.stage
        entity.updated_at = event.time
        match payload:
            case ApplicationSubmitted() | ApplicationResubmitted():
                entity.requested_amount = payload.requested_amount
            case ApplicationIneligible():
                entity.ineligible_reasons = list(payload.reasons)
            case ReviewerAssigned():
                entity.reviewer, entity.recommendation = payload.reviewer, None
            case ApplicationReviewed():
                entity.review_score = payload.total_score
                entity.review_max_score = payload.max_score
                entity.recommendation = payload.recommendation
            case ApplicationApproved():
                entity.granted_amount = payload.granted_amount
                entity.final_report_due_at = payload.final_report_due_at
                entity.decided_by, entity.decided_at = payload.actor, event.time
            case ApplicationRejected():
                entity.granted_amount = None
                entity.decided_by, entity.decided_at = payload.actor, event.time
            case AppealLodged():
                entity.recommendation = None
            case DecisionFinal():
                entity.decision_final = True
            case FundingStarted() | ChangeDecided() | ReportCorrectionsRequested():
                entity.final_report_due_at = payload.final_report_due_at
                entity.report_overdue = entity.report_escalated = False
                if isinstance(payload, ChangeDecided):
                    entity.funding_period_end = payload.funding_period_end
            case PaymentApproved():
                entity.paid_amount = payload.paid_total
            case FinalReportOverdue():
                entity.report_overdue = True
            case FinalReportEscalated():
                entity.report_escalated = True
            case FinalReportSubmitted():
                entity.spent_amount = payload.spent_amount
                entity.report_overdue = entity.report_escalated = False
            case ReclaimSet():
                entity.reclaim_amount = payload.reclaim_amount
            case RepaymentRecorded():
                entity.repaid_amount = payload.repaid_total


async def _decide_payment(
    session: AsyncSession,
    application: Application,
    payload: PaymentApproved | PaymentRejected,
    event: CloudEvent,
) -> None:
    """The ledger row takes the decision; an approved payment leaves the budget."""
    approved = isinstance(payload, PaymentApproved)
    payment = await session.get(PaymentRecord, payload.payment_id)
    if payment is not None:
        payment.status = "approved" if approved else "rejected"
        payment.decided_at, payment.decided_by = event.time, payload.actor
    if approved:
        await budget.paid(session=session, application=application, amount=payload.amount)
