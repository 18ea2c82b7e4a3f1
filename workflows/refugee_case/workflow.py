"""``RefugeeCaseWorkflow``: one case of the district's WIR case management.

intake ─assess─> in_progress (referrals: sent ─> accepted | declined, accepted ─> completed)
 ─place─> placed ─(follow-up period)─> follow_up ─record_follow_up─> …
any open stage ─close─> closed ─reopen─> in_progress; a case closed for longer than the
reopen window ends its workflow.

Since the patch ``case-deadlines`` the workflow keeps every deadline of the case in one loop
(see ``deadlines``): referral reminders and escalations, the check-ins at +1, +3 and +6
months, inactivity reminders, and the erasure of the person's data after the retention
period (at once when consent is withdrawn), after which the workflow ends.

Only pseudonymous ids and codes pass through here; the person is known to the cases
service's database alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from shared.contracts.cases import KIND as CASE_KIND
    from shared.contracts.cases import (
        AssessCommand,
        CaseCommandResult,
        CaseStage,
        CloseCommand,
        ClosureReason,
        CompleteReferralCommand,
        FollowUpCommand,
        PlaceCommand,
        ReferCommand,
        ReferralResponseCommand,
        ReferralState,
        ReferralStatus,
        RefugeeCaseInput,
        RefugeeCaseState,
        ReopenCommand,
        RevisePlanCommand,
        TransferCommand,
    )
    from shared.contracts.envelope import CloudEvent, build_event, derive_event_id
    from shared.contracts.events.case import (
        CaseAssessed,
        CaseClosed,
        CaseEvent,
        CaseOpened,
        CasePlaced,
        CaseReopened,
        CaseTransferred,
        FollowUpDue,
        FollowUpRecorded,
        PlanRevised,
        ReferralAccepted,
        ReferralCompleted,
        ReferralDeclined,
        ReferralSent,
    )
    from shared.problems import INVALID_COMMAND, STAGE_CONFLICT
    from shared.temporal import KIND, STAGE
    from workflows.events import PUBLISH_RETRY, PUBLISH_TIMEOUT, PublishEventInput
    from workflows.refugee_case.deadlines import deadlines
    from workflows.refugee_case.timers import CaseTimers

Stage = CaseStage
OPEN_REFERRAL = (ReferralStatus.sent, ReferralStatus.accepted)
REFERRAL_STAGES = (Stage.in_progress, Stage.placed, Stage.follow_up)
OPEN_STAGES = (Stage.intake, Stage.in_progress, Stage.placed, Stage.follow_up)
# Workflows started before this patch keep the one follow-up timer and the reopen window.
DEADLINES_PATCH = "case-deadlines"
OPENED_FIRST_PATCH = "case-opened-first"


def _conflict(message: str) -> ApplicationError:
    return ApplicationError(message, type=STAGE_CONFLICT, non_retryable=True)


def _invalid(message: str) -> ApplicationError:
    return ApplicationError(message, type=INVALID_COMMAND, non_retryable=True)


def _require_stage(action: str, stage: CaseStage, *allowed: CaseStage) -> None:
    if stage not in allowed:
        raise _conflict(f"cannot {action}: the case is in stage {stage.value}")


@workflow.defn(name="RefugeeCaseWorkflow")
class RefugeeCaseWorkflow:
    @workflow.init
    def __init__(self, input: RefugeeCaseInput) -> None:
        self._input = input
        self._state = input.resume or RefugeeCaseState(
            case_id=input.case_id, case_manager=input.case_manager
        )

    @workflow.run
    async def run(self, input: RefugeeCaseInput) -> RefugeeCaseState:
        workflow.upsert_search_attributes(
            [KIND.value_set(CASE_KIND), STAGE.value_set(self._state.stage.value)]
        )
        if input.resume is None:
            await self._emit(
                CaseOpened, actor=input.opened_by, consent_purposes=list(input.consent_purposes)
            )
        if workflow.patched(DEADLINES_PATCH):
            await self._run_deadlines()
            await workflow.wait_condition(workflow.all_handlers_finished)
            return self._state
        while True:
            await workflow.wait_condition(
                lambda: (
                    self._state.stage in (Stage.placed, Stage.closed)
                    or workflow.info().is_continue_as_new_suggested()
                )
            )
            if self._state.stage is Stage.placed:
                await self._follow_up_timer()
            elif self._state.stage is Stage.closed:
                if not await self._reopened_within_window():
                    break
            else:
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(input.model_copy(update={"resume": self._state}))
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._state

    async def _run_deadlines(self) -> None:
        """Fire each deadline that has passed, then sleep until the next one or a command."""
        timers = CaseTimers(self._state, self._input, self._emit, self._set_stage)
        timers.adopt_earlier_state(workflow.now())
        while not self._state.erased:
            pending = deadlines(self._state, self._input)
            now = workflow.now()
            if pending and pending[0].at <= now:
                await timers.fire(pending[0], now)
                continue
            if workflow.info().is_continue_as_new_suggested():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self._input.model_copy(update={"resume": self._state}))
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    self._changed_since(self._state.seq),
                    timeout=pending[0].at - now if pending else None,
                )

    def _changed_since(self, seq: int) -> Callable[[], bool]:
        return lambda: self._state.seq != seq or workflow.info().is_continue_as_new_suggested()

    async def _follow_up_timer(self) -> None:
        due = self._state.follow_up_due_at
        assert due is not None
        remaining = due - workflow.now()
        try:
            if remaining > timedelta(0):
                await workflow.wait_condition(
                    lambda: self._state.stage is not Stage.placed, timeout=remaining
                )
                return
        except TimeoutError:
            pass
        self._set_stage(Stage.follow_up)
        await self._emit(FollowUpDue, follow_up_due_at=due)

    async def _reopened_within_window(self) -> bool:
        try:
            await workflow.wait_condition(
                lambda: self._state.stage is not Stage.closed,
                timeout=timedelta(days=self._input.reopen_window_days),
            )
        except TimeoutError:
            return False
        return True

    # -- commands (Updates) ---------------------------------------------------------------

    @workflow.update
    async def assess(self, command: AssessCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.need_count = command.need_count
        if self._state.stage is Stage.intake:
            self._set_stage(Stage.in_progress)
        return await self._done(CaseAssessed, actor=command.actor, need_count=command.need_count)

    @assess.validator
    def _validate_assess(self, command: AssessCommand) -> None:
        _require_stage("record an assessment", self._state.stage, Stage.intake, Stage.in_progress)

    @workflow.update
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
        _require_stage("refer", self._state.stage, *REFERRAL_STAGES)
        if self._state.referral(command.referral_id) is not None:
            raise _conflict(f"referral {command.referral_id} exists already")
        for referral in self._state.referrals:
            if referral.offer_id == command.offer_id and referral.status in OPEN_REFERRAL:
                raise _conflict(
                    f"referral {referral.referral_id} to offer {command.offer_id} is still open"
                )

    @workflow.update
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
            raise _invalid(f"decline_reason is required to decline referral {referral.referral_id}")

    @workflow.update
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

    @workflow.update
    async def place(self, command: PlaceCommand) -> CaseCommandResult:
        await self._after_opening()
        due = workflow.now() + timedelta(days=self._input.follow_up_days)
        self._state.placement_type = command.placement_type
        self._state.follow_up_due_at = due
        self._state.placed_at = workflow.now()
        self._state.follow_ups_due = 0
        self._set_stage(Stage.placed)
        return await self._done(
            CasePlaced,
            actor=command.actor,
            placement_type=command.placement_type,
            offer_id=command.offer_id,
            follow_up_due_at=due,
        )

    @place.validator
    def _validate_place(self, command: PlaceCommand) -> None:
        _require_stage("record a placement", self._state.stage, Stage.in_progress)

    @workflow.update
    async def revise_plan(self, command: RevisePlanCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.plan_version += 1
        return await self._done(
            PlanRevised,
            actor=command.actor,
            plan_version=self._state.plan_version,
            goal_areas=list(command.goal_areas),
            next_target_date=command.next_target_date,
        )

    @revise_plan.validator
    def _validate_plan(self, command: RevisePlanCommand) -> None:
        _require_stage("revise the plan", self._state.stage, *OPEN_STAGES)

    @workflow.update
    async def record_follow_up(self, command: FollowUpCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.follow_ups_recorded += 1
        return await self._done(
            FollowUpRecorded, actor=command.actor, still_placed=command.still_placed
        )

    @record_follow_up.validator
    def _validate_follow_up(self, command: FollowUpCommand) -> None:
        _require_stage("record a follow-up", self._state.stage, Stage.follow_up)

    @workflow.update
    async def close(self, command: CloseCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.closure_reason = command.reason
        self._state.closed_at = workflow.now()
        self._set_stage(Stage.closed)
        return await self._done(CaseClosed, actor=command.actor, reason=command.reason)

    @close.validator
    def _validate_close(self, command: CloseCommand) -> None:
        if self._state.stage is Stage.closed:
            raise _conflict("cannot close: the case is in stage closed")

    @workflow.update
    async def reopen(self, command: ReopenCommand) -> CaseCommandResult:
        await self._after_opening()
        self._state.closure_reason = None
        self._state.closed_at = None
        self._set_stage(Stage.in_progress)
        return await self._done(CaseReopened, actor=command.actor)

    @reopen.validator
    def _validate_reopen(self, command: ReopenCommand) -> None:
        _require_stage("reopen", self._state.stage, Stage.closed)
        closed_at = self._state.closed_at
        if self._state.closure_reason is ClosureReason.consent_withdrawn:
            raise _conflict("cannot reopen: the person withdrew their consent")
        window = timedelta(days=self._input.reopen_window_days)
        if closed_at is not None and workflow.now() - closed_at > window:
            raise _conflict("cannot reopen: the case was closed longer than the reopen window")

    @workflow.update
    async def transfer(self, command: TransferCommand) -> CaseCommandResult:
        await self._after_opening()
        previous = self._state.case_manager
        self._state.case_manager = command.case_manager
        return await self._done(
            CaseTransferred, actor=command.actor, previous_case_manager=previous
        )

    @transfer.validator
    def _validate_transfer(self, command: TransferCommand) -> None:
        _require_stage("transfer", self._state.stage, *OPEN_STAGES)
        if command.case_manager == self._state.case_manager:
            raise _invalid(f"the case is already with {command.case_manager}")

    @workflow.query
    def state(self) -> RefugeeCaseState:
        return self._state

    # -- helpers --------------------------------------------------------------------------

    async def _after_opening(self) -> None:
        """A command sent right after the start can reach the workflow before ``run`` has
        emitted ``opened``: let ``opened`` take sequence number 1 first."""
        if workflow.patched(OPENED_FIRST_PATCH):
            await workflow.wait_condition(lambda: self._state.seq >= 1)

    def _referral_in(self, referral_id: str, status: ReferralStatus, action: str) -> ReferralState:
        referral = self._state.referral(referral_id)
        if referral is None:
            raise _invalid(f"referral {referral_id} does not exist in this case")
        if referral.status is not status:
            raise _conflict(
                f"cannot {action} referral {referral_id}: it is {referral.status.value}"
            )
        return referral

    def _set_stage(self, stage: CaseStage) -> None:
        self._state.stage = stage
        workflow.upsert_search_attributes([STAGE.value_set(stage.value)])

    async def _done(self, model: type[CaseEvent], **fields: object) -> CaseCommandResult:
        self._state.last_activity_at = workflow.now()
        event = await self._emit(model, **fields)
        return CaseCommandResult(state=self._state.model_copy(deep=True), events=[event])

    async def _emit(self, model: type[CaseEvent], **fields: object) -> CloudEvent:
        self._state.seq += 1
        data = model(
            case_id=self._state.case_id,
            case_manager=self._state.case_manager,
            stage=self._state.stage.value,
            seq=self._state.seq,
            **fields,
        )
        event_id = derive_event_id(workflow.info().workflow_id, self._state.seq)
        event = build_event(event_id=event_id, data=data, time=workflow.now())
        await workflow.execute_activity(
            "publish_event",
            PublishEventInput(event=event),
            start_to_close_timeout=PUBLISH_TIMEOUT,
            retry_policy=PUBLISH_RETRY,
        )
        return event
