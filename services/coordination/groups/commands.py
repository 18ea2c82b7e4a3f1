"""The working groups' use cases: forming a group (which starts its workflow) and every
command on it, each through the one gateway (shared/gateway.py): the Update is sent, its
events projected, the command's free text stored beside them, one commit.

Ids of new meetings and action items are made here; with an ``Idempotency-Key`` a repeated
request gets the first run's result, so what is stored follows the ids in the result's
event, never the ids made for the repeat.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)

from services.coordination.actors.models import ContactPerson, NetworkActor
from services.coordination.creation import CreationKey
from services.coordination.groups.models import ActionItem, Attendance, Meeting, WorkingGroup
from services.coordination.groups.projection import GroupProjection
from services.coordination.groups.schemas import ActionItemIn, GroupIn, MeetingIn, MinutesIn
from shared.auth import Actor
from shared.contracts import coordination
from shared.contracts.coordination import (
    ActionItemCommand,
    AddActionItemCommand,
    CloseGroupCommand,
    GroupCommandResult,
    GroupStage,
    MeetingCadence,
    MeetingCommand,
    MemberKind,
    MemberRef,
    RecordMeetingCommand,
    ScheduleMeetingCommand,
    SetCadenceCommand,
    SetMembersCommand,
    WorkingGroupInput,
)
from shared.contracts.coordination import WorkingGroupUpdates as Updates
from shared.contracts.refs import UpdateRef
from shared.creation import create_once
from shared.gateway import run_command
from shared.problems import ProblemError, not_found
from shared.search import search_key
from shared.settings import WirSettings
from shared.temporal import KIND, STAGE

CommandT = TypeVar("CommandT", bound=BaseModel)
#: Stores a confirmed command's free text on the row its event names, in the same commit.
Recorder = Callable[[GroupCommandResult], Awaitable[None]]


@dataclass(frozen=True)
class GroupCommand:
    """What every command on one group needs (built by ``access`` once the sender may)."""

    session: AsyncSession
    client: Client
    group_id: str
    actor: Actor
    idempotency_key: str | None = None

    @property
    def user(self) -> str:
        return self.actor.user


async def form_group(
    *,
    session: AsyncSession,
    client: Client,
    settings: WirSettings,
    data: GroupIn,
    user: str,
    idempotency_key: str | None,
) -> WorkingGroup:
    async def create() -> WorkingGroup:
        now = datetime.now(UTC)
        group = WorkingGroup(
            id=str(uuid.uuid4()),
            name=data.name,
            topic=data.topic,
            search_text=search_key(f"{data.name} | {data.topic}")[:800],
            coordinator=user,
            stage=GroupStage.active.value,
            invitation_lead_days=data.invitation_lead_days
            or settings.coordination_invitation_lead_days,
            item_reminder_days=data.item_reminder_days or settings.coordination_item_reminder_days,
            seq=0,
            created_at=now,
            updated_at=now,
        )
        session.add(group)
        return group

    async def load(group_id: str) -> WorkingGroup:
        found = await session.get(WorkingGroup, group_id)
        if found is None:
            raise not_found("working group", group_id)
        return found

    group = await create_once(
        table=CreationKey,
        session=session,
        kind="working_group",
        actor=user,
        idempotency_key=idempotency_key,
        body=data,
        create=create,
        object_id=lambda g: g.id,
        load=load,
    )
    # Also on a repeat: a first attempt that stored the group but could not reach Temporal
    # gets its workflow now (USE_EXISTING: a second start is the same workflow).
    await client.start_workflow(
        coordination.WORKFLOW_NAME,
        WorkingGroupInput(
            group_id=group.id,
            coordinator=group.coordinator,
            invitation_lead_days=group.invitation_lead_days,
            item_reminder_days=group.item_reminder_days,
        ),
        id=coordination.workflow_id(group.id),
        task_queue=settings.task_queue,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        search_attributes=TypedSearchAttributes(
            [
                SearchAttributePair(KIND, coordination.KIND),
                SearchAttributePair(STAGE, GroupStage.active.value),
            ]
        ),
    )
    return group


async def _send(
    cmd: GroupCommand,
    update: UpdateRef[CommandT, GroupCommandResult],
    command: CommandT,
    record: Recorder | None = None,
) -> GroupCommandResult:
    return await run_command(
        session=cmd.session,
        client=cmd.client,
        workflow_id=coordination.workflow_id(cmd.group_id),
        update=update,
        command=command,
        actor=cmd.user,
        idempotency_key=cmd.idempotency_key,
        apply=GroupProjection(cmd.session).apply,
        record=record,
    )


def _ref(result: GroupCommandResult, field: str) -> str:
    return str(result.events[0].data[field])


async def _check_in_network(session: AsyncSession, refs: list[MemberRef]) -> None:
    """Actors and contact persons named as members or owners must be in the network (a
    contact not erased); staff user ids are the identity provider's and are taken as given."""
    for ref in refs:
        if ref.kind == MemberKind.actor:
            found = await session.get(NetworkActor, ref.id) is not None
        elif ref.kind == MemberKind.contact:
            contact = await session.get(ContactPerson, ref.id)
            found = contact is not None and contact.erased_at is None
        else:
            continue
        if not found:
            raise ProblemError(
                422, "Not in the network", f"no {ref.kind.value} {ref.id} in the network"
            )


async def set_members(cmd: GroupCommand, members: list[MemberRef]) -> None:
    await _check_in_network(cmd.session, members)
    await _send(cmd, Updates.set_members, SetMembersCommand(actor=cmd.user, members=members))


async def schedule_meeting(cmd: GroupCommand, data: MeetingIn) -> str:
    session = cmd.session

    async def texts(result: GroupCommandResult) -> None:
        meeting = await session.get(Meeting, _ref(result, "meeting_id"))
        assert meeting is not None  # the projection made it
        meeting.place = data.place
        meeting.online_link = str(data.online_link) if data.online_link else None
        meeting.agenda = data.agenda

    command = ScheduleMeetingCommand(
        actor=cmd.user,
        meeting_id=str(uuid.uuid4()),
        starts_at=data.starts_at,
        online=data.online_link is not None,
    )
    result = await _send(cmd, Updates.schedule_meeting, command, texts)
    return _ref(result, "meeting_id")


async def send_invitation(cmd: GroupCommand, meeting_id: str) -> None:
    command = MeetingCommand(actor=cmd.user, meeting_id=meeting_id)
    await _send(cmd, Updates.send_invitation, command)


async def cancel_meeting(cmd: GroupCommand, meeting_id: str) -> None:
    command = MeetingCommand(actor=cmd.user, meeting_id=meeting_id)
    await _send(cmd, Updates.cancel_meeting, command)


async def record_minutes(cmd: GroupCommand, meeting_id: str, data: MinutesIn) -> None:
    session = cmd.session
    attendees = list({(a.kind, a.id): a for a in data.attendees}.values())

    async def minutes(result: GroupCommandResult) -> None:
        meeting = await session.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.minutes = data.minutes
        await session.execute(delete(Attendance).where(Attendance.meeting_id == meeting_id))
        for a in attendees:
            session.add(Attendance(meeting_id=meeting_id, kind=a.kind, member_id=a.id))

    command = RecordMeetingCommand(
        actor=cmd.user, meeting_id=meeting_id, attendee_count=len(attendees)
    )
    await _send(cmd, Updates.record_meeting, command, minutes)


async def add_action_item(cmd: GroupCommand, data: ActionItemIn) -> str:
    session = cmd.session
    owner = MemberRef(kind=MemberKind(data.owner.kind.value), id=data.owner.id)
    await _check_in_network(session, [owner])

    async def title(result: GroupCommandResult) -> None:
        item = await session.get(ActionItem, _ref(result, "item_id"))
        assert item is not None  # the projection made it
        item.title = data.title

    command = AddActionItemCommand(
        actor=cmd.user,
        item_id=str(uuid.uuid4()),
        owner=data.owner,
        due_date=data.due_date,
        meeting_id=data.meeting_id,
    )
    result = await _send(cmd, Updates.add_action_item, command, title)
    return _ref(result, "item_id")


async def complete_action_item(cmd: GroupCommand, item_id: str) -> None:
    command = ActionItemCommand(actor=cmd.user, item_id=item_id)
    await _send(cmd, Updates.complete_action_item, command)


async def set_cadence(cmd: GroupCommand, cadence: MeetingCadence | None) -> None:
    """Give the group a meeting cycle (None: end it); the workflow plans its meetings."""
    await _send(cmd, Updates.set_cadence, SetCadenceCommand(actor=cmd.user, cadence=cadence))


async def close_group(cmd: GroupCommand) -> None:
    await _send(cmd, Updates.close, CloseGroupCommand(actor=cmd.user))
