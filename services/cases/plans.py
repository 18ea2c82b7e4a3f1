"""The case's plan: goals by need area with target dates, revised as a whole, every
version kept. The workflow learns the goals' areas and the next target date only."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from services.cases.models import Case, CasePlan
from services.cases.schemas import GoalStatus, PlanIn
from services.cases.service import send_command
from shared.cases import RevisePlanCommand
from shared.events import CloudEvent
from shared.settings import WirSettings


async def revise_plan(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    case_id: str,
    data: PlanIn,
    actor: str,
    idempotency_key: str | None = None,
) -> Case:
    async def record(event: CloudEvent) -> None:
        if await session.get(CasePlan, event.id) is None:
            session.add(
                CasePlan(
                    id=event.id,
                    case_id=case_id,
                    version=int(event.data["plan_version"]),
                    goals=[goal.model_dump(mode="json") for goal in data.goals],
                    note=data.note,
                    created_at=event.time,
                    created_by=actor,
                )
            )

    open_dates = [
        g.target_date for g in data.goals if g.status is GoalStatus.open and g.target_date
    ]
    command = RevisePlanCommand(
        actor=actor,
        goal_areas=[goal.area.value for goal in data.goals],
        next_target_date=min(open_dates) if open_dates else None,
    )
    return await send_command(
        session=session,
        client=client,
        settings=settings,
        case_id=case_id,
        update="revise_plan",
        command=command,
        idempotency_key=idempotency_key,
        record=record,
    )
