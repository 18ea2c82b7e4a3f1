"""Case managers' tasks: raised by the workflow's deadline events, closed by what answers
them (a recorded follow-up, the provider's answer, any command on a quiet case).

The case's projection calls :func:`on_event` once per event, whatever order events
arrive in; the task raised by an event carries that event's id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.cases.models import Case
from services.cases.work.models import CaseTask
from services.cases.work.schemas import TaskKind, TaskStatus
from shared.contracts.envelope import CloudEvent, EventData
from shared.contracts.events import case as events


async def on_event(
    *, session: AsyncSession, case: Case, payload: EventData, event: CloudEvent
) -> None:
    """Raise, close or hand over tasks for one event (applied once per event id)."""
    match payload:
        case events.FollowUpDue():
            _raise(session, case, event, payload, TaskKind.follow_up, due=payload.follow_up_due_at)
        case events.ReferralReminderDue():
            _raise(session, case, event, payload, TaskKind.referral_reminder)
        case events.ReferralEscalated():
            _raise(session, case, event, payload, TaskKind.referral_escalation)
        case events.CaseInactive():
            _raise(session, case, event, payload, TaskKind.inactivity)
        case events.FollowUpRecorded():
            oldest = await session.scalar(
                open_tasks(case.id, TaskKind.follow_up)
                .order_by(CaseTask.due_at, CaseTask.id)
                .limit(1)
            )
            if oldest is not None:
                finish(oldest, TaskStatus.done, event.time, payload.actor)
        case events.ReferralAccepted() | events.ReferralDeclined():
            answered = open_tasks(case.id).where(CaseTask.referral_id == payload.referral_id)
            for task in await session.scalars(answered):
                finish(task, TaskStatus.done, event.time, payload.actor)
        case events.CaseTransferred():
            await session.execute(
                update(CaseTask)
                .where(CaseTask.case_id == case.id, CaseTask.status == TaskStatus.open.value)
                .values(case_manager=payload.case_manager)
            )
        case events.CaseClosed() | events.ErasureDue():
            for task in await session.scalars(open_tasks(case.id)):
                finish(task, TaskStatus.cancelled, event.time, payload.actor)
    quiet_answered = not isinstance(payload, events.CaseClosed | events.FollowUpRecorded)
    if payload.actor is not None and quiet_answered:
        # any command on a quiet case answers its inactivity reminder
        for task in await session.scalars(open_tasks(case.id, TaskKind.inactivity)):
            finish(task, TaskStatus.done, event.time, payload.actor)


def _raise(
    session: AsyncSession,
    case: Case,
    event: CloudEvent,
    payload: events.CaseEvent,
    kind: TaskKind,
    *,
    due: datetime | None = None,
) -> None:
    """A task the event raised, keyed by the event's id; due when the event says, or now."""
    session.add(
        CaseTask(
            id=event.id,
            case_id=case.id,
            case_manager=payload.case_manager,
            kind=kind.value,
            number=payload.number if isinstance(payload, events.FollowUpDue) else None,
            referral_id=payload.referral_id if isinstance(payload, events.ReferralEvent) else None,
            due_at=due or event.time,
            status=TaskStatus.open.value,
            created_at=event.time,
        )
    )


def open_tasks(case_id: str, kind: TaskKind | None = None) -> Select[CaseTask]:
    query = select(CaseTask).where(
        CaseTask.case_id == case_id, CaseTask.status == TaskStatus.open.value
    )
    return query.where(CaseTask.kind == kind.value) if kind is not None else query


def finish(task: CaseTask, status: TaskStatus, at: datetime, actor: str | None) -> None:
    task.status = status.value
    task.done_at = at
    task.done_by = actor
