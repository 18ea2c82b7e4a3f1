"""A case manager's work: their tasks, their caseload, and the colleagues a case is
shared with. Keyword-only use cases and reads; handing a case over is a command on the
case's workflow (``cases.commands.transfer``)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.cases.models import Case, CaseShare
from services.cases.cases.queries import shares
from services.cases.work.models import CaseTask
from services.cases.work.schemas import Caseload, TaskStatus
from services.cases.work.tasks import finish
from shared.contracts.cases import CaseStage
from shared.pagination import PageParams, fetch_page
from shared.problems import ProblemError, not_found, stage_conflict


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
    finish(task, TaskStatus.done, datetime.now(UTC), actor)
    await session.commit()
    await session.refresh(task)  # the flush expired the file number read with it
    return task


async def share(
    *, session: AsyncSession, case: Case, case_manager: str, actor: str
) -> list[CaseShare]:
    """Let a colleague see and work on the case (sharing twice changes nothing)."""
    if case_manager == case.case_manager:
        raise ProblemError(422, "Invalid command", f"{case_manager} is the case's own case manager")
    if await session.get(CaseShare, (case.id, case_manager)) is None:
        session.add(
            CaseShare(
                case_id=case.id,
                case_manager=case_manager,
                created_at=datetime.now(UTC),
                created_by=actor,
            )
        )
        await session.commit()
    return await shares(session=session, case_id=case.id)


async def unshare(*, session: AsyncSession, case_id: str, case_manager: str) -> None:
    row = await session.get(CaseShare, (case_id, case_manager))
    if row is None:
        raise not_found("share with", case_manager)
    await session.delete(row)
    await session.commit()


async def caseload(*, session: AsyncSession, case_manager: str) -> Caseload:
    rows = await session.execute(
        select(Case.stage, func.count())
        .where(Case.case_manager == case_manager)
        .group_by(Case.stage)
    )
    by_stage = {CaseStage(stage): count for stage, count in rows}
    open_tasks = await session.scalar(
        select(func.count())
        .select_from(CaseTask)
        .where(CaseTask.case_manager == case_manager, CaseTask.status == TaskStatus.open.value)
    )
    return Caseload(
        case_manager=case_manager,
        open_cases=sum(n for stage, n in by_stage.items() if stage is not CaseStage.closed),
        by_stage=by_stage,
        open_tasks=open_tasks or 0,
    )
