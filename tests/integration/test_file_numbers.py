"""File numbers (Aktenzeichen) of applications over HTTP: sequential and gap-free under
concurrent creation, none taken by a refused or losing creation, the same for a retry, and
carried into the workflow (search attribute), its events and the CSV export.

Runs on SQLite, and on PostgreSQL with ``WIR_TEST_DATABASE_URL`` set."""

from __future__ import annotations

import asyncio
import csv
import re
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from temporalio.client import Client

from shared.contracts import grants
from shared.temporal import FILE_NUMBER
from tests import grant_flows as flow
from tests.servers import eventually

NUMBER = re.compile(r"^WIR-(\d{4})-(\d{5,})$")


def _parts(file_number: str) -> tuple[int, int]:
    match = NUMBER.match(file_number)
    assert match, file_number
    return int(match[1]), int(match[2])


def _body(organisation_id: str, round_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "organisation_id": organisation_id,
        "round_id": round_id,
        "priority_code": "coordination",
        **flow.content(),
        **fields,
    }


async def _create(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> str:
    response = await client.post("/applications", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["file_number"])


async def test_concurrent_creations_get_sequential_numbers_without_gaps(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications)
    body = _body(organisation_id, round_id)
    first = _parts(await _create(applications, body))
    created = await asyncio.gather(*(_create(applications, body) for _ in range(20)))
    after = _parts(await _create(applications, body))

    assert first[0] == datetime.now(ZoneInfo("Europe/Berlin")).year
    numbers = sorted(_parts(n)[1] for n in created)
    assert numbers == list(range(first[1] + 1, first[1] + 21))  # unique, no gap
    assert {_parts(n)[0] for n in created} == {first[0]}
    assert after == (first[0], first[1] + 21)


async def test_refused_and_losing_creations_take_no_number(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications)
    body = _body(organisation_id, round_id)
    year, before = _parts(await _create(applications, body))

    outside = await applications.post(
        "/applications", json=_body(organisation_id, round_id, funding_period_start="2020-01-01")
    )
    assert outside.status_code == 422  # refused by the round's period, after other checks
    unknown = await applications.post("/applications", json=_body(organisation_id, "no-round"))
    assert unknown.status_code in (404, 422), unknown.text
    # five requests with one key: one creates, four lose at the commit and roll back
    key = str(uuid.uuid4())
    same = await asyncio.gather(
        *(_create(applications, body, **{"Idempotency-Key": key}) for _ in range(5))
    )
    assert set(same) == {f"WIR-{year}-{before + 1:05d}"}
    assert _parts(await _create(applications, body)) == (year, before + 2)


async def test_a_retried_creation_answers_with_the_same_number(
    applications: httpx.AsyncClient,
) -> None:
    round_id = await flow.open_round(applications)
    body = _body(await flow.organisation(applications), round_id)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await applications.post("/applications", json=body, headers=key)
    again = await applications.post("/applications", json=body, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["file_number"] == first.json()["file_number"]
    assert (
        _parts(await _create(applications, body))[1] == _parts(first.json()["file_number"])[1] + 1
    )


async def test_the_number_is_in_answers_lists_workflow_events_and_export(
    applications: httpx.AsyncClient, temporal_client: Client
) -> None:
    round_id = await flow.open_round(applications)
    organisation_id = await flow.organisation(applications)
    title = f"Begegnungscafé {uuid.uuid4().hex[:6]}"
    created = await applications.post(
        "/applications", json=_body(organisation_id, round_id, title=title)
    )
    application_id, number = created.json()["id"], created.json()["file_number"]
    listed = await applications.get("/applications", params={"round": round_id})
    assert [i["file_number"] for i in listed.json()["items"]] == [number]

    await flow.submitted_in_review(applications, application_id)
    handle = temporal_client.get_workflow_handle(grants.workflow_id(application_id))
    described = await handle.describe()
    assert described.typed_search_attributes.get(FILE_NUMBER) == number

    async def listed_by_number() -> list[str] | None:
        query = f"WirFileNumber = '{number}'"
        ids = [w.id async for w in temporal_client.list_workflows(query)]
        return ids or None

    assert await eventually(listed_by_number) == [grants.workflow_id(application_id)]

    detail = (await applications.get(f"/applications/{application_id}")).json()
    assert detail["file_number"] == number
    submitted = next(h for h in detail["history"] if h["type"] == "wir.application.submitted")
    assert (submitted["data"]["file_number"], submitted["data"]["title"]) == (number, title)

    export = await applications.get("/applications/export.csv", params={"round": round_id})
    rows = list(csv.DictReader(export.text.removeprefix("\ufeff").splitlines(), delimiter=";"))
    assert [(r["id"], r["file_number"]) for r in rows] == [(application_id, number)]


async def test_a_revised_title_is_found_and_named_by_later_events(
    applications: httpx.AsyncClient,
) -> None:
    tag = uuid.uuid4().hex[:8]
    round_id = await flow.open_round(applications)
    body = _body(await flow.organisation(applications), round_id, title=f"Erstfassung {tag}")
    created = (await applications.post("/applications", json=body)).json()
    application_id, number = created["id"], created["file_number"]
    await flow.submitted_in_review(applications, application_id)
    changes = await applications.post(
        f"/applications/{application_id}/decision",
        json={"decision": "request_changes", "reason": "Titel schärfen"},
        headers=flow.APPROVER,
    )
    assert changes.status_code == 200, changes.text
    revised = flow.content(title=f"Überarbeitete Fassung {tag}")
    resubmitted = await applications.post(f"/applications/{application_id}/resubmit", json=revised)
    assert resubmitted.status_code == 200, resubmitted.text
    assert resubmitted.json()["file_number"] == number

    found = await applications.get("/applications", params={"q": f"uberarbeitete fassung {tag}"})
    assert [i["id"] for i in found.json()["items"]] == [application_id]
    old = await applications.get("/applications", params={"q": f"erstfassung {tag}"})
    assert old.json()["items"] == []
    history = resubmitted.json()["history"]
    event = next(h for h in history if h["type"] == "wir.application.resubmitted")
    assert (event["data"]["file_number"], event["data"]["title"]) == (
        number,
        f"Überarbeitete Fassung {tag}",
    )
