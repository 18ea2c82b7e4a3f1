"""Who works on which case: transfer to another case manager, caseload per case manager."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from services.cases.models import Case, CaseTask
from services.cases.schemas import TransferIn
from services.cases.service import send_command
from services.cases.tasks import TaskStatus
from shared.cases import CaseStage, TransferCommand
from shared.settings import WirSettings


async def transfer(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    data: TransferIn,
    actor: str,
    idempotency_key: str | None = None,
) -> Case:
    """Hand an open case to another case manager; its open tasks go with it. The event
    names both case managers (staff ids) and nothing about the person."""
    return await send_command(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        update="transfer",
        command=TransferCommand(actor=actor, case_manager=data.case_manager),
        idempotency_key=idempotency_key,
    )


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
