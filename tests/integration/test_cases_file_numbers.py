"""Case file numbers (FM-2026-00117) over real HTTP, Temporal and database: gap-free and
unique under concurrent intakes, kept by an idempotent retry, not used up by a refused or
rolled-back intake, in every case answer and list, in the case's events and as the
workflow's ``WirFileNumber`` search attribute."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from temporalio.client import Client
from temporalio.service import RPCError

from services.cases.cases.intake import open_case
from services.cases.cases.schemas import IntakeIn
from services.cases.work.models import CaseTask
from shared.contracts import cases as contract
from shared.db import create_engine, session_factory
from shared.payloads.keys import data_converter
from shared.settings import WirSettings
from shared.temporal import FILE_NUMBER
from tests.case_clients import as_user, new_manager
from tests.servers import eventually

CONSENT = {"given": True, "purposes": ["case_management"]}


def person(family_name: str = "Nouridashti", given_name: str = "Samira") -> dict[str, Any]:
    return {"given_name": given_name, "family_name": family_name, "birth_date": "1990-05-01"}


async def intake(
    client: httpx.AsyncClient, body: dict[str, Any] | None = None, *, key: str | None = None
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return await client.post(
        "/cases", json=body or {"person": person(), "consent": CONSENT}, headers=headers
    )


def number_of(file_number: str) -> int:
    prefix, year, number = file_number.split("-")
    assert prefix == "FM" and int(year) == datetime.now(ZoneInfo("Europe/Berlin")).year
    assert len(number) == 5
    return int(number)


async def test_concurrent_intakes_take_consecutive_numbers(cases: httpx.AsyncClient) -> None:
    async with as_user(cases, new_manager()) as client:
        before = number_of((await intake(client)).json()["file_number"])
        no_consent = {"person": person(), "consent": {"given": False}}
        invalid = {"person": person(), "consent": {"given": True, "purposes": []}}
        answers = await asyncio.gather(
            *(intake(client) for _ in range(20)),
            intake(client, no_consent),
            intake(client, invalid),
        )
        *opened, anonymous, refused = answers
        assert all(a.status_code == 201 for a in opened), [a.text for a in opened]
        assert "file_number" not in anonymous.json()  # no case, no number
        assert refused.status_code == 422
        numbers = sorted(number_of(a.json()["file_number"]) for a in opened)
        assert numbers == list(range(before + 1, before + 21))
        after = number_of((await intake(client)).json()["file_number"])
        assert after == before + 21

        # every answer and list shows it
        first = opened[0].json()
        shown = await client.get(f"/cases/{first['id']}")
        assert shown.json()["file_number"] == first["file_number"]
        listed = (await client.get("/cases", params={"limit": 200})).json()["items"]
        assert {c["id"]: c["file_number"] for c in listed}[first["id"]] == first["file_number"]
        assert len({c["file_number"] for c in listed}) == len(listed) == 22


async def test_an_idempotent_retry_keeps_the_case_and_its_number(cases: httpx.AsyncClient) -> None:
    async with as_user(cases, new_manager()) as client:
        key = str(uuid.uuid4())
        first = await intake(client, key=key)
        assert first.status_code == 201
        again = await asyncio.gather(*(intake(client, key=key) for _ in range(5)))
        assert {a.status_code for a in again} == {201}  # answered as the first time
        assert {(a.json()["id"], a.json()["file_number"]) for a in again} == {
            (first.json()["id"], first.json()["file_number"])
        }
        # requests with a fresh key sent at once: one case, and the losers give their
        # number back
        fresh = str(uuid.uuid4())
        racing = await asyncio.gather(*(intake(client, key=fresh) for _ in range(5)))
        assert len({a.json()["file_number"] for a in racing}) == 1
        assert {a.status_code for a in racing} == {201}  # each answered as the first one
        assert len({a.json()["id"] for a in racing}) == 1
        raced = number_of(racing[0].json()["file_number"])
        assert raced == number_of(first.json()["file_number"]) + 1
        next_one = await intake(client)
        assert number_of(next_one.json()["file_number"]) == raced + 1


async def test_an_intake_that_rolls_back_uses_no_number(
    cases: httpx.AsyncClient, settings: WirSettings
) -> None:
    async with as_user(cases, new_manager()) as client:
        before = number_of((await intake(client)).json()["file_number"])
        # Temporal refuses to start the workflow (a namespace that does not exist): the
        # intake rolls back after it took its number
        refusing = await Client.connect(
            settings.temporal_address,
            namespace=f"missing-{uuid.uuid4().hex[:8]}",
            data_converter=data_converter(settings),
        )
        engine = create_engine(settings.database_url_for("cases"))
        try:
            async with session_factory(engine)() as session:
                with pytest.raises(RPCError):
                    await open_case(
                        session=session,
                        client=refusing,
                        settings=settings,
                        data=IntakeIn.model_validate({"person": person(), "consent": CONSENT}),
                        actor="cm.rollback",
                    )
        finally:
            await engine.dispose()
        after = number_of((await intake(client)).json()["file_number"])
        assert after == before + 1


async def test_the_workflow_its_events_and_its_answers_carry_the_number(
    cases: httpx.AsyncClient, temporal_client: Client
) -> None:
    async with as_user(cases, new_manager()) as client:
        case = (await intake(client)).json()
        handle = temporal_client.get_workflow_handle(contract.workflow_id(case["id"]))
        described = await handle.describe()
        assert described.typed_search_attributes.get(FILE_NUMBER) == case["file_number"]

        async def by_number() -> list[str]:
            query = f"WirFileNumber = '{case['file_number']}'"
            return [w.id async for w in temporal_client.list_workflows(query)]

        assert await eventually(by_number) == [handle.id]

        async def history() -> list[dict[str, Any]]:
            answer = (await client.get(f"/cases/{case['id']}")).json()
            events: list[dict[str, Any]] = answer["history"]
            return events

        (opened,) = await eventually(history)  # the consumer projects ``opened``
        assert opened["type"] == "wir.case.opened"
        assert opened["data"]["file_number"] == case["file_number"]
        assessed = await client.post(
            f"/cases/{case['id']}/assessment", json={"needs": ["language"]}
        )
        assert assessed.json()["file_number"] == case["file_number"]
        assert assessed.json()["history"][-1]["data"]["file_number"] == case["file_number"]
        # the share and transfer answers name it too
        shared = await client.post(f"/cases/{case['id']}/shares", json={"case_manager": "x.cm"})
        assert [(s["case_id"], s["file_number"]) for s in shared.json()] == [
            (case["id"], case["file_number"])
        ]
        moved = await client.post(f"/cases/{case['id']}/transfer", json={"case_manager": "y.cm"})
        assert moved.json()["file_number"] == case["file_number"]


async def test_tasks_name_their_case_by_its_number(
    cases: httpx.AsyncClient, settings: WirSettings
) -> None:
    manager = new_manager()
    async with as_user(cases, manager) as client:
        case = (await intake(client)).json()
        engine = create_engine(settings.database_url_for("cases"))
        try:
            async with session_factory(engine)() as session:  # as a deadline event raises it
                now = datetime.now(ZoneInfo("UTC"))
                session.add(
                    CaseTask(
                        id=f"task-{case['id']}",
                        case_id=case["id"],
                        case_manager=manager,
                        kind="follow_up",
                        number=1,
                        due_at=now,
                        status="open",
                        created_at=now,
                    )
                )
                await session.commit()
        finally:
            await engine.dispose()
        [task] = (await client.get("/tasks")).json()["items"]
        assert task["file_number"] == case["file_number"]
        done = await client.post(f"/tasks/{task['id']}/done")
        assert done.json()["file_number"] == case["file_number"]
