"""Commands of the referrals: send one to an offer, the provider's answer, its completion."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from shared.contracts.cases import (
        CaseCommandResult,
        CaseStage,
        CompleteReferralCommand,
        ReferCommand,
        ReferralResponseCommand,
        ReferralState,
        ReferralStatus,
        RefugeeCaseUpdates,
    )
    from shared.contracts.events.case import (
        ReferralAccepted,
        ReferralCompleted,
        ReferralDeclined,
        ReferralSent,
    )
    from workflows.refugee_case.base import CaseWorkflowBase, conflict, invalid, require_stage

Stage = CaseStage
OPEN_REFERRAL = (ReferralStatus.sent, ReferralStatus.accepted)
REFERRAL_STAGES = (Stage.in_progress, Stage.placed, Stage.follow_up)


class ReferralCommands(CaseWorkflowBase):
    @workflow.update(name=RefugeeCaseUpdates.refer.name)
    async def refer(self, command: ReferCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.referrals.append(
            ReferralState(
                referral_id=command.referral_id, offer_id=command.offer_id, sent_at=workflow.now()
            )
        )
        return await self._done(
            ReferralSent,
            actor=command.actor,
            referral_id=command.referral_id,
            offer_id=command.offer_id,
        )

    @refer.validator
    def _validate_refer(self, command: ReferCommand) -> None:
        require_stage("refer", self._state.stage, *REFERRAL_STAGES)
        if self._state.referral(command.referral_id) is not None:
            raise conflict(f"referral {command.referral_id} exists already")
        for referral in self._state.referrals:
            if referral.offer_id == command.offer_id and referral.status in OPEN_REFERRAL:
                raise conflict(
                    f"referral {referral.referral_id} to offer {command.offer_id} is still open"
                )

    @workflow.update(name=RefugeeCaseUpdates.respond_to_referral.name)
    async def respond_to_referral(self, command: ReferralResponseCommand) -> CaseCommandResult:
        await self._after_opening()
        referral = self._state.referral(command.referral_id)
        assert referral is not None
        common = {"referral_id": referral.referral_id, "offer_id": referral.offer_id}
        if command.accepted:
            referral.status = ReferralStatus.accepted
            return await self._done(ReferralAccepted, actor=command.actor, **common)
        referral.status = ReferralStatus.declined
        return await self._done(
            ReferralDeclined, actor=command.actor, reason=command.decline_reason, **common
        )

    @respond_to_referral.validator
    def _validate_respond(self, command: ReferralResponseCommand) -> None:
        referral = self._referral_in(command.referral_id, ReferralStatus.sent, "answer")
        if not command.accepted and command.decline_reason is None:
            raise invalid(f"decline_reason is required to decline referral {referral.referral_id}")

    @workflow.update(name=RefugeeCaseUpdates.complete_referral.name)
    async def complete_referral(self, command: CompleteReferralCommand) -> CaseCommandResult:
        await self._after_opening()
        referral = self._state.referral(command.referral_id)
        assert referral is not None
        referral.status = ReferralStatus.completed
        return await self._done(
            ReferralCompleted,
            actor=command.actor,
            referral_id=referral.referral_id,
            offer_id=referral.offer_id,
            outcome=command.outcome,
        )

    @complete_referral.validator
    def _validate_complete(self, command: CompleteReferralCommand) -> None:
        self._referral_in(command.referral_id, ReferralStatus.accepted, "complete")

    def _referral_in(self, referral_id: str, status: ReferralStatus, action: str) -> ReferralState:
        referral = self._state.referral(referral_id)
        if referral is None:
            raise invalid(f"referral {referral_id} does not exist in this case")
        if referral.status is not status:
            raise conflict(f"cannot {action} referral {referral_id}: it is {referral.status.value}")
        return referral
