"""The case's plan: goals by need area with target dates, revised as a whole, every
version kept. The workflow learns the goals' areas and the next target date only."""

from __future__ import annotations

from services.cases.models import Case, CasePlan
from services.cases.schemas import GoalStatus, PlanIn
from services.cases.service import CaseCommand, send_command
from shared.contracts.cases import RevisePlanCommand
from shared.contracts.envelope import CloudEvent


async def revise_plan(*, cmd: CaseCommand, data: PlanIn) -> Case:
    async def record(event: CloudEvent) -> None:
        if await cmd.session.get(CasePlan, event.id) is None:
            cmd.session.add(
                CasePlan(
                    id=event.id,
                    case_id=cmd.case_id,
                    version=int(event.data["plan_version"]),
                    goals=[goal.model_dump(mode="json") for goal in data.goals],
                    note=data.note,
                    created_at=event.time,
                    created_by=cmd.user,
                )
            )

    open_dates = [
        g.target_date for g in data.goals if g.status is GoalStatus.open and g.target_date
    ]
    command = RevisePlanCommand(
        actor=cmd.user,
        goal_areas=[goal.area.value for goal in data.goals],
        next_target_date=min(open_dates) if open_dates else None,
    )
    return await send_command(cmd=cmd, update="revise_plan", command=command, record=record)
