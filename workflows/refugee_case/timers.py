"""What the case workflow does when one of its deadlines passes.

Runs inside the workflow (deterministic): the state changes here and each deadline
publishes one event through the workflow's own ``emit``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.cases import (
        CaseStage,
        ClosureReason,
        ErasureReason,
        RefugeeCaseInput,
        RefugeeCaseState,
    )
    from shared.contracts.envelope import CloudEvent
    from shared.contracts.events.case import (
        CaseInactive,
        ErasureDue,
        FollowUpDue,
        ReferralEscalated,
        ReferralReminderDue,
    )
    from workflows.refugee_case.deadlines import Deadline, DeadlineKind, next_follow_up

Emit = Callable[..., Awaitable[CloudEvent]]


class CaseTimers:
    def __init__(
        self,
        state: RefugeeCaseState,
        periods: RefugeeCaseInput,
        emit: Emit,
        set_stage: Callable[[CaseStage], None],
    ) -> None:
        self._state = state
        self._periods = periods
        self._emit = emit
        self._set_stage = set_stage

    async def fire(self, deadline: Deadline, now: datetime) -> None:
        match deadline.kind:
            case DeadlineKind.referral_reminder | DeadlineKind.referral_escalation:
                await self._referral(deadline, now)
            case DeadlineKind.follow_up:
                await self._follow_up(deadline)
            case DeadlineKind.inactivity:
                await self._inactive(now)
            case DeadlineKind.erasure:
                await self._erase()

    async def _referral(self, deadline: Deadline, now: datetime) -> None:
        referral = self._state.referral(deadline.referral_id)
        assert referral is not None and referral.sent_at is not None
        model: Any
        if deadline.kind is DeadlineKind.referral_reminder:
            referral.reminded, model = True, ReferralReminderDue
        else:
            referral.escalated, model = True, ReferralEscalated
        await self._emit(
            model,
            referral_id=referral.referral_id,
            offer_id=referral.offer_id,
            sent_at=referral.sent_at,
            days_open=(now - referral.sent_at).days,
        )

    async def _follow_up(self, deadline: Deadline) -> None:
        self._state.follow_ups_due = deadline.number
        upcoming = next_follow_up(self._state, self._periods)
        self._state.follow_up_due_at = upcoming
        if self._state.stage is CaseStage.placed:
            self._set_stage(CaseStage.follow_up)
        await self._emit(
            FollowUpDue,
            follow_up_due_at=deadline.at,
            number=deadline.number,
            next_follow_up_due_at=upcoming,
        )

    async def _inactive(self, now: datetime) -> None:
        last = self._state.last_activity_at
        assert last is not None
        self._state.inactivity_reminded_at = now
        await self._emit(CaseInactive, last_activity_at=last, days_inactive=(now - last).days)

    async def _erase(self) -> None:
        closed_at = self._state.closed_at
        assert closed_at is not None
        self._state.erased = True
        reason = (
            ErasureReason.consent_withdrawn
            if self._state.closure_reason is ClosureReason.consent_withdrawn
            else ErasureReason.retention_elapsed
        )
        await self._emit(ErasureDue, reason=reason, closed_at=closed_at)
