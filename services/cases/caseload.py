"""Who works on which case: transfer to another case manager, sharing with colleagues,
caseload per case manager."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.models import Case, CaseShare, CaseTask
from services.cases.schemas import TransferIn
from services.cases.service import CaseCommand, send_command
from services.cases.tasks import TaskStatus
from shared.contracts.cases import CaseStage, TransferCommand
from shared.problems import ProblemError, not_found


async def transfer(*, cmd: CaseCommand, data: TransferIn) -> Case:
    """Hand an open case to another case manager; its open tasks go with it. The event
    names both case managers (staff ids) and nothing about the person. The previous case
    manager keeps no access unless the case is shared with them."""
    command = TransferCommand(actor=cmd.user, case_manager=data.case_manager)
    return await send_command(cmd=cmd, update="transfer", command=command)


async def shares(*, session: AsyncSession, case_id: str) -> list[CaseShare]:
    result = await session.scalars(
        select(CaseShare)
        .where(CaseShare.case_id == case_id)
        .order_by(CaseShare.created_at, CaseShare.case_manager)
    )
    return list(result)


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


class Caseload(BaseModel):
    case_manager: str
    open_cases: int
    by_stage: dict[CaseStage, int]
    open_tasks: int


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
