"""Time-skipping Temporal test server and fake activities registered under the real names."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest_asyncio
from temporalio import activity
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from shared.contracts.envelope import CloudEvent
from shared.payloads.codec import Keyring, encrypted_data_converter
from shared.temporal import SEARCH_ATTRIBUTES
from tests.servers import binary
from workflows.events import PublishEventInput
from workflows.grant_application.activities import check_eligibility
from workflows.worker import WORKFLOWS


async def register_search_attributes(client: Client) -> None:
    """The time-skipping server knows no custom search attributes until told."""
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={
                key.name: IndexedValueType.ValueType(key.indexed_value_type.value)
                for key in SEARCH_ATTRIBUTES
            },
        )
    )


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def time_env() -> AsyncIterator[WorkflowEnvironment]:
    # encrypted like production (shared/payloads/codec.py), with a key of this session only
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=binary("temporal-test-server"),
        data_converter=encrypted_data_converter(Keyring.generate("workflow-tests")),
    )
    await register_search_attributes(env.client)
    yield env
    await env.shutdown()


@dataclass
class PublishedEvents:
    """Stands in for JetStream: records what the workflow published, de-duplicated by id."""

    events: list[CloudEvent] = field(default_factory=list)

    @activity.defn(name="publish_event")
    async def publish_event(self, input: PublishEventInput) -> bool:
        if any(e.id == input.event.id for e in self.events):
            return False
        self.events.append(input.event)
        return True

    def types(self, entity_id: str) -> list[str]:
        return [e.type.rsplit(".", 1)[1] for e in self.events if e.subject == entity_id]


@dataclass
class Harness:
    """One worker for the whole session: a workflow left running by an earlier test must
    still have a worker, or the time-skipping server cannot skip past its timers."""

    env: WorkflowEnvironment
    task_queue: str
    published: PublishedEvents


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def harness(time_env: WorkflowEnvironment) -> AsyncIterator[Harness]:
    published = PublishedEvents()
    task_queue = f"wf-{uuid.uuid4().hex[:8]}"
    async with Worker(
        time_env.client,
        task_queue=task_queue,
        workflows=list(WORKFLOWS),
        activities=[published.publish_event, check_eligibility],
    ):
        yield Harness(env=time_env, task_queue=task_queue, published=published)
