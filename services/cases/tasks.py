"""Case managers' tasks: raised by the workflow's deadline events, closed by what answers
them (a recorded follow-up, the provider's answer, any command on a quiet case)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.models import Case, CaseTask
from shared.contracts.envelope import CloudEvent
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found, stage_conflict


class TaskKind(StrEnum):
    follow_up = "follow_up"
    referral_reminder = "referral_reminder"
    referral_escalation = "referral_escalation"
    inactivity = "inactivity"


class TaskStatus(StrEnum):
    open = "open"
    done = "done"
    cancelled = "cancelled"


_RAISED_BY = {
    "follow_up_due": TaskKind.follow_up,
    "referral_reminder_due": TaskKind.referral_reminder,
    "referral_escalated": TaskKind.referral_escalation,
    "inactive": TaskKind.inactivity,
}


async def on_event(*, session: AsyncSession, case: Case, name: str, event: CloudEvent) -> None:
    """Raise, close or hand over tasks for one event (applied once per event id)."""
    data = event.data
    actor = data.get("actor")
    kind = _RAISED_BY.get(name)
    if kind is not None:
        due = data.get("follow_up_due_at") if kind is TaskKind.follow_up else None
        session.add(
            CaseTask(
                id=event.id,
                case_id=case.id,
                case_manager=str(data["case_manager"]),
                kind=kind.value,
                number=data.get("number") if kind is TaskKind.follow_up else None,
                referral_id=data.get("referral_id"),
                due_at=datetime.fromisoformat(str(due)) if due else event.time,
                status=TaskStatus.open.value,
                created_at=event.time,
            )
        )
    elif name == "follow_up_recorded":
        oldest = await session.scalar(
            _open(case.id, TaskKind.follow_up).order_by(CaseTask.due_at, CaseTask.id).limit(1)
        )
        if oldest is not None:
            _finish(oldest, TaskStatus.done, event.time, actor)
    elif name in ("referral_accepted", "referral_declined"):
        referral_id = data["referral_id"]
        for task in await session.scalars(
            select(CaseTask).where(
                CaseTask.case_id == case.id,
                CaseTask.referral_id == referral_id,
                CaseTask.status == TaskStatus.open.value,
            )
        ):
            _finish(task, TaskStatus.done, event.time, actor)
    elif name == "transferred":
        await session.execute(
            update(CaseTask)
            .where(CaseTask.case_id == case.id, CaseTask.status == TaskStatus.open.value)
            .values(case_manager=str(data["case_manager"]))
        )
    elif name in ("closed", "erasure_due"):
        for task in await session.scalars(_open(case.id)):
            _finish(task, TaskStatus.cancelled, event.time, actor)
    if actor is not None and name not in ("closed", "follow_up_recorded"):
        # any command on a quiet case answers its inactivity reminder
        for task in await session.scalars(_open(case.id, TaskKind.inactivity)):
            _finish(task, TaskStatus.done, event.time, actor)


def _open(case_id: str, kind: TaskKind | None = None) -> Select[CaseTask]:
    query = select(CaseTask).where(
        CaseTask.case_id == case_id, CaseTask.status == TaskStatus.open.value
    )
    return query.where(CaseTask.kind == kind.value) if kind is not None else query


def _finish(task: CaseTask, status: TaskStatus, at: datetime, actor: object) -> None:
    task.status = status.value
    task.done_at = at
    task.done_by = str(actor) if actor is not None else None


async def list_tasks(
    *,
    session: AsyncSession,
    page: PageParams,
    case_manager: str | None = None,
    status: TaskStatus | None = TaskStatus.open,
    case_id: str | None = None,
) -> tuple[list[CaseTask], int]:
    query = select(CaseTask)
    if case_manager:
        query = query.where(CaseTask.case_manager == case_manager)
    if status is not None:
        query = query.where(CaseTask.status == status.value)
    if case_id:
        query = query.where(CaseTask.case_id == case_id)
    return await fetch_page(session, query.order_by(CaseTask.due_at, CaseTask.id), page)


async def complete_task(*, session: AsyncSession, task_id: str, actor: str) -> CaseTask:
    """Mark one of ``actor``'s open tasks done by hand (e.g. the provider was called about
    a referral). Someone else's task is as unknown as one that does not exist."""
    task = await session.get(CaseTask, task_id)
    if task is None or task.case_manager != actor:
        raise not_found("task", task_id)
    if task.status != TaskStatus.open.value:
        raise stage_conflict(f"cannot complete task {task_id}: it is {task.status}")
    _finish(task, TaskStatus.done, datetime.now(UTC), actor)
    await session.commit()
    return task
