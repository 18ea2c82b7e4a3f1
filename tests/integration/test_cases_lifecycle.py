"""Cases over HTTP: anonymous contacts, duplicates, transfer and caseloads, erasure on
withdrawn consent with the statistics still counting the case."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.cases.models import CaseAssessment, CasePlacement, CounsellingContact, Person
from shared.db import create_engine, session_factory
from shared.settings import WirSettings
from tests.case_clients import as_user, new_manager
from tests.servers import eventually


def _person(**changes: Any) -> dict[str, Any]:
    """A person of their own per test (a unique family name), so duplicates stay local."""
    person = {
        "given_name": "Dawit",
        "family_name": f"Tesfaye-{uuid.uuid4().hex[:8]}",
        "birth_date": "1989-11-02",
        "languages": ["ti", "en"],
        "phone": "+49 6641 555 0199",
        "address": "Mühlweg 7, 36304 Ohmstadt",
        "family_situation": "married, two children",
    }
    return {**person, **changes}


CONSENT = {"given": True, "purposes": ["case_management", "referral_to_services"]}


@asynccontextmanager
async def cases_db(settings: WirSettings) -> AsyncIterator[AsyncSession]:
    """The cases service's own database, looked at directly."""
    engine = create_engine(settings.database_url_for("cases"))
    try:
        async with session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def _persons_named(settings: WirSettings, family_name: str) -> int:
    async with cases_db(settings) as session:
        count = await session.scalar(
            select(func.count()).select_from(Person).where(Person.family_name == family_name)
        )
        return int(count or 0)


async def _intake(cases: httpx.AsyncClient, person: dict[str, Any], **extra: Any) -> Any:
    response = await cases.post("/cases", json={"person": person, "consent": CONSENT, **extra})
    assert response.status_code == 201, response.text
    return response.json()


async def test_without_consent_only_an_anonymous_contact_is_kept(
    cases: httpx.AsyncClient, settings: WirSettings
) -> None:
    manager, person = new_manager(), _person()
    answer = await cases.post(
        "/cases",
        json={
            "person": person,
            "consent": {"given": False},
            "case_manager": manager,
            "topics": ["housing", "language"],
        },
    )
    # no case: not 201, and no id that looks like one to follow under /cases
    assert answer.status_code == 200, answer.text
    contact = answer.json()
    assert contact["kind"] == "no_case" and "id" not in contact
    assert contact["topics"] == ["housing", "language"] and contact["languages"] == ["ti", "en"]
    assert person["family_name"] not in answer.text and "Mühlweg" not in answer.text
    assert await _persons_named(settings, person["family_name"]) == 0
    assert (await cases.get("/cases", params={"case_manager": manager})).json()["total"] == 0
    async with cases_db(settings) as session:
        stored = await session.get(CounsellingContact, contact["counselling_contact_id"])
        assert stored is not None and stored.case_manager == manager
    figures = (await cases.get("/statistics")).json()
    assert figures["anonymous_contacts"] >= 1


async def test_an_intake_without_consent_sent_again_is_counted_once(
    cases: httpx.AsyncClient, settings: WirSettings
) -> None:
    manager = new_manager()
    body = {"person": _person(), "consent": {"given": False}, "case_manager": manager}
    key = {"Idempotency-Key": f"contact-{uuid.uuid4()}"}
    first = await cases.post("/cases", json=body, headers=key)
    again = await cases.post("/cases", json=body, headers=key)
    other = await cases.post("/cases", json=body)  # no key: another contact
    assert first.status_code == again.status_code == other.status_code == 200, again.text
    assert first.json() == again.json()
    assert other.json()["counselling_contact_id"] != first.json()["counselling_contact_id"]
    async with cases_db(settings) as session:
        stored = await session.scalar(
            select(func.count())
            .select_from(CounsellingContact)
            .where(CounsellingContact.case_manager == manager)
        )
    assert stored == 2


async def test_possible_duplicates_are_flagged_not_refused(cases: httpx.AsyncClient) -> None:
    person = _person()
    first = await _intake(cases, person)
    assert first["possible_duplicates"] == []
    # accents, case, hyphens and the order of the name parts do not matter
    variant = _person(
        given_name=person["family_name"].upper().replace("-", " "),
        family_name="Dáwit",
        birth_date=person["birth_date"],
    )
    second = await _intake(cases, variant)
    assert second["possible_duplicates"] == [first["id"]]
    assert (await cases.get(f"/cases/{first['id']}")).json()["possible_duplicates"] == [
        second["id"]
    ]
    other_birthday = await _intake(
        cases, _person(family_name=person["family_name"], birth_date="1990-01-01")
    )
    assert other_birthday["possible_duplicates"] == []


async def test_transfer_moves_the_case_and_keeps_personal_data_out_of_the_event(
    cases: httpx.AsyncClient,
) -> None:
    anna, ben = new_manager(), new_manager()
    async with as_user(cases, anna) as by_anna, as_user(cases, ben) as by_ben:
        await _transfer(by_anna, by_ben, anna, ben)


async def _transfer(
    by_anna: httpx.AsyncClient, by_ben: httpx.AsyncClient, anna: str, ben: str
) -> None:
    person = _person()
    case = await _intake(by_anna, person)
    path = f"/cases/{case['id']}"
    await by_anna.post(f"{path}/assessment", json={"needs": ["employment"]})
    assert (await by_anna.get(f"/case-managers/{anna}/caseload")).json()["open_cases"] == 1

    moved = await by_anna.post(f"{path}/transfer", json={"case_manager": ben})
    assert moved.status_code == 200, moved.text
    assert moved.json()["case_manager"] == ben
    [event] = [e for e in moved.json()["history"] if e["type"] == "wir.case.transferred"]
    assert event["data"]["previous_case_manager"] == anna and event["data"]["case_manager"] == ben
    text = json.dumps(event).lower()
    # the birth date whole, and in the forms it could be written in: ids and timestamps are
    # random enough to hold "1989" by chance (one run in several hundred did)
    written = (person["family_name"], "dawit", "1989-11-02", "02.11.1989", "19891102", "mühlweg")
    assert not [v for v in written if v.lower() in text]

    assert (await by_anna.get(f"/case-managers/{anna}/caseload")).json()["open_cases"] == 0
    load = (await by_ben.get(f"/case-managers/{ben}/caseload")).json()
    assert load["open_cases"] == 1 and load["by_stage"] == {"in_progress": 1}
    listed = (await by_ben.get("/cases", params={"case_manager": ben})).json()
    assert [c["id"] for c in listed["items"]] == [case["id"]]
    assert (await by_anna.get(path)).status_code == 404  # anna no longer holds it

    same = await by_ben.post(f"{path}/transfer", json={"case_manager": ben})
    assert same.status_code == 422, same.text
    bad = await by_ben.post(f"{path}/transfer", json={"case_manager": "not a user id!"})
    assert bad.status_code == 422
    await by_ben.post(f"{path}/closure", json={"reason": "moved_away"})
    closed = await by_ben.post(f"{path}/transfer", json={"case_manager": anna})
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]


async def test_plan_is_revised_and_its_history_kept(cases: httpx.AsyncClient) -> None:
    case = await _intake(cases, _person())
    path = f"/cases/{case['id']}"
    await cases.post(f"{path}/assessment", json={"needs": ["language", "recognition"]})
    first = await cases.post(
        f"{path}/plan",
        json={
            "goals": [
                {"area": "language", "goal": "B1-Prüfung bestehen", "target_date": "2027-06-30"},
                {
                    "area": "recognition",
                    "goal": "Anerkennung als Elektroniker beantragen",
                    "target_date": "2027-03-31",
                },
            ]
        },
    )
    assert first.status_code == 200, first.text
    assert first.json()["plan"]["version"] == 1
    revised = await cases.post(
        f"{path}/plan",
        json={
            "goals": [
                {"area": "language", "goal": "B1-Prüfung bestehen", "target_date": "2027-09-30"},
                {
                    "area": "recognition",
                    "goal": "Anerkennung als Elektroniker beantragen",
                    "target_date": "2027-03-31",
                    "status": "achieved",
                },
                {"area": "employment", "goal": "Praktikum im Elektrohandwerk"},
            ],
            "note": "Sprachkurs verschoben",
        },
    )
    assert revised.status_code == 200, revised.text
    body = revised.json()
    assert body["plan"]["version"] == 2 and len(body["plan"]["goals"]) == 3
    assert [p["version"] for p in body["plan_history"]] == [1, 2]
    assert body["plan_history"][0]["goals"][0]["target_date"] == "2027-06-30"
    [event] = [e for e in body["history"] if e["type"] == "wir.case.plan_revised"][1:]
    assert event["data"]["plan_version"] == 2
    assert event["data"]["goal_areas"] == ["language", "recognition", "employment"]
    assert event["data"]["next_target_date"] == "2027-09-30"  # the achieved goal is not next
    assert "Prüfung" not in json.dumps(event) and "Praktikum" not in json.dumps(event)
    empty = await cases.post(f"{path}/plan", json={"goals": []})
    assert empty.status_code == 422


async def test_withdrawn_consent_erases_the_person_and_statistics_keep_the_case(
    cases: httpx.AsyncClient, settings: WirSettings
) -> None:
    before = (await cases.get("/statistics")).json()
    person = _person()
    case = await _intake(cases, person)
    path = f"/cases/{case['id']}"
    await cases.post(
        f"{path}/assessment",
        json={"needs": ["recognition", "employment"], "notes": "Zeugnisse aus Asmara"},
    )
    await cases.post(
        f"{path}/plan",
        json={"goals": [{"area": "employment", "goal": "Ausbildung zum Bäcker", "status": "open"}]},
    )
    await cases.post(
        f"{path}/placement",
        json={
            "placement_type": "internship",
            "employer_or_provider": "Bäckerei Beispiel",
            "start_date": "2027-04-01",
        },
    )
    assert await _persons_named(settings, person["family_name"]) == 1
    closed = await cases.post(
        f"{path}/closure", json={"reason": "consent_withdrawn", "note": "per Telefon"}
    )
    assert closed.status_code == 200, closed.text

    async def erased() -> dict[str, Any] | None:
        view: dict[str, Any] = (await cases.get(path)).json()
        return view if view["erased_at"] else None

    view = await eventually(erased)
    assert view["person"] is None and view["possible_duplicates"] == []
    assert view["assessments"][0]["notes"] is None
    assert view["assessments"][0]["needs"] == ["recognition", "employment"]
    assert view["placements"][0]["employer_or_provider"] is None
    assert view["plan"]["goals"] == [
        {"area": "employment", "goal": None, "target_date": None, "status": "open"}
    ]
    assert view["closures"][0]["note"] is None and view["closures"][0]["reason"] == (
        "consent_withdrawn"
    )
    assert "wir.case.erasure_due" in [e["type"] for e in view["history"]]
    assert await _persons_named(settings, person["family_name"]) == 0
    async with cases_db(settings) as session:
        [assessment] = (
            await session.scalars(
                select(CaseAssessment).where(CaseAssessment.case_id == case["id"])
            )
        ).all()
        assert assessment.notes is None and assessment.languages == []
        [placement] = (
            await session.scalars(select(CasePlacement).where(CasePlacement.case_id == case["id"]))
        ).all()
        assert placement.employer_or_provider is None
    everything = json.dumps(view).lower()
    assert not [
        v
        for v in (person["family_name"], "asmara", "bäckerei", "telefon")
        if v.lower() in everything
    ]

    refused = await cases.post(f"{path}/reopen")
    assert refused.status_code == 409 and "erased" in refused.json()["detail"]

    after = (await cases.get("/statistics")).json()
    assert after["cases_opened"] == before["cases_opened"] + 1
    assert after["erased_cases"] == before["erased_cases"] + 1
    reasons = after["closures_by_reason"]
    assert (
        reasons["consent_withdrawn"] == before["closures_by_reason"].get("consent_withdrawn", 0) + 1
    )
    assert after["placements_by_type"]["internship"] == (
        before["placements_by_type"].get("internship", 0) + 1
    )
    assert after["needs"]["recognition"] == before["needs"].get("recognition", 0) + 1

    exported = await cases.get("/statistics.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert exported.content.startswith(b"\xef\xbb\xbf")  # as the applications export
    rows = list(csv.reader(io.StringIO(exported.text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["figure", "key", "value"]
    today = datetime.now(UTC).date()
    assert ["period", "to", today.strftime("%d.%m.%Y")] in rows
    plain = await cases.get("/statistics.csv", params={"format": "plain"})
    plain_rows = list(csv.reader(io.StringIO(plain.text)))
    assert plain_rows[0] == ["figure", "key", "value"]
    assert ["period", "to", today.isoformat()] in plain_rows
    assert ["erased_cases", "", str(after["erased_cases"])] in rows
    assert ["closures_by_reason", "consent_withdrawn", str(reasons["consent_withdrawn"])] in rows
