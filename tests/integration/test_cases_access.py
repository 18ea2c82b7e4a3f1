"""Who may do what in the cases service (services/cases/access.py), over real HTTP.

The generic tests walk every route of the service's OpenAPI document, so a route added
later without its rule fails here.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.cases.models import CaseEvent
from services.cases.work.models import CaseTask
from shared.auth import Role
from shared.db import create_engine, session_factory
from shared.settings import WirSettings
from tests import auth
from tests.case_clients import as_user, new_manager, provider_headers
from tests.servers import eventually

PERSON = {"given_name": "Nadia", "family_name": "Rahimi", "birth_date": "1990-04-12"}
CONSENT = {"given": True, "purposes": ["case_management", "referral_to_services"]}
PUBLIC = {("get", "/offers"), ("get", "/offers/{offer_id}")}
#: Roles with no business in the cases service.
OUTSIDERS = (Role.programme_officer, Role.reviewer, Role.approver, Role.applicant, Role.operator)
#: What a provider may learn of a referral: ids, codes, dates.
REFERRAL_FIELDS = {
    "id",
    "case_id",
    "offer_id",
    "status",
    "decline_reason",
    "outcome",
    "sent_at",
    "answered_at",
    "completed_at",
}


async def _routes(client: httpx.AsyncClient) -> list[tuple[str, str]]:
    """Every (method, path) of the service but health, the event catalogue and the public
    service catalogue."""
    spec = (await client.get("/openapi.json")).json()
    routes = [
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]
    return [
        (m, p)
        for m, p in routes
        if (m, p) not in PUBLIC and not p.startswith(("/health", "/events"))
    ]


def _fill(path: str, **ids: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "x0"), path)


async def _call(client: httpx.AsyncClient, method: str, path: str) -> httpx.Response:
    body: dict[str, Any] | None = {} if method in ("post", "put", "patch") else None
    return await client.request(method.upper(), path, json=body)


async def _open(client: httpx.AsyncClient) -> dict[str, Any]:
    opened = await client.post("/cases", json={"person": PERSON, "consent": CONSENT})
    assert opened.status_code == 201, opened.text
    case: dict[str, Any] = opened.json()
    return case


async def _two_offers_of_different_providers(
    client: httpx.AsyncClient,
) -> tuple[dict[str, Any], dict[str, Any]]:
    offers: list[dict[str, Any]] = (await client.get("/offers")).json()["items"]
    first = offers[0]
    second = next(o for o in offers if o["provider_id"] != first["provider_id"])
    return first, second


@asynccontextmanager
async def _cases_db(settings: WirSettings) -> AsyncIterator[AsyncSession]:
    engine = create_engine(settings.database_url_for("cases"))
    try:
        async with session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()


def _statuses(results: Iterator[tuple[str, str, httpx.Response]]) -> dict[str, int]:
    return {f"{m.upper()} {p}": r.status_code for m, p, r in results}


async def test_every_endpoint_but_the_public_catalogue_needs_a_token(cases_url: str) -> None:
    async with httpx.AsyncClient(base_url=cases_url, timeout=30) as anonymous:
        routes = await _routes(anonymous)
        assert len(routes) >= 35, routes  # the walk found the service's routes
        answers = [(m, p, await _call(anonymous, m, _fill(p))) for m, p in routes]
        wrong = {k: v for k, v in _statuses(iter(answers)).items() if v != 401}
        assert not wrong, wrong
        assert all(r.headers["www-authenticate"] == "Bearer" for _, _, r in answers)
        forged = await anonymous.get("/cases", headers={"Authorization": "Bearer not.a.jwt"})
        assert forged.status_code == 401
        for method, path in PUBLIC:
            assert (await _call(anonymous, method, _fill(path))).status_code in (200, 404)


async def test_roles_outside_case_work_get_403_everywhere(cases: httpx.AsyncClient) -> None:
    case = await _open(cases)
    routes = await _routes(cases)
    for role in OUTSIDERS:
        async with as_user(cases, f"someone.{role.value}", role) as outsider:
            answers = [
                (m, p, await _call(outsider, m, _fill(p, case_id=case["id"]))) for m, p in routes
            ]
            wrong = {k: v for k, v in _statuses(iter(answers)).items() if v != 403}
            assert not wrong, (role, wrong)
    after = (await cases.get(f"/cases/{case['id']}")).json()
    assert after["stage"] == "intake" and after["assessments"] == []


async def test_admin_reads_figures_and_caseloads_but_no_case_data(
    cases: httpx.AsyncClient,
) -> None:
    case = await _open(cases)
    async with as_user(cases, "ada.admin", Role.admin) as admin:
        assert (await admin.get("/statistics")).status_code == 200
        load = await admin.get("/case-managers/anna.cm/caseload")
        assert load.status_code == 200 and load.json()["open_cases"] >= 1
        for path in (f"/cases/{case['id']}", "/cases", f"/cases/{case['id']}/employment"):
            assert (await admin.get(path)).status_code == 403, path
        assert (
            await admin.post("/cases", json={"person": PERSON, "consent": CONSENT})
        ).status_code == 403


async def test_another_case_managers_case_is_not_found(cases: httpx.AsyncClient) -> None:
    """Every route under a case answers a case manager who neither holds it nor shares it
    404, exactly as for a case that does not exist, and changes nothing."""
    case = await _open(cases)
    path = f"/cases/{case['id']}"
    offer, _ = await _two_offers_of_different_providers(cases)
    await cases.post(f"{path}/assessment", json={"needs": ["language"]})
    referred = await cases.post(f"{path}/referrals", json={"offer_id": offer["id"]})
    step = await cases.post(f"{path}/employment", json={"kind": "application", "employer": "X"})
    ids = {
        "case_id": case["id"],
        "referral_id": referred.json()["referrals"][0]["id"],
        "step_id": step.json()["id"],
        "case_manager": "anna.cm",
    }
    before = (await cases.get(path)).json()

    carl = new_manager()
    async with as_user(cases, carl) as other:
        under_case = [(m, p) for m, p in await _routes(cases) if "{case_id}" in p]
        assert len(under_case) >= 20, under_case
        answers = [(m, p, await _call(other, m, _fill(p, **ids))) for m, p in under_case]
        wrong = {k: v for k, v in _statuses(iter(answers)).items() if v != 404}
        assert not wrong, wrong
        unknown = (await other.get("/cases/no-such-case")).json()["detail"]
        seen = (await other.get(path)).json()["detail"]
        assert seen == unknown.replace("no-such-case", case["id"])
        assert (await other.get("/cases")).json()["total"] == 0
        assert (await other.get("/tasks", params={"case_manager": "anna.cm"})).status_code == 403
        assert (await other.get("/case-managers/anna.cm/caseload")).status_code == 403
        assert (await other.get(f"/case-managers/{carl}/caseload")).status_code == 200
    after = (await cases.get(path)).json()
    unchanged = ("stage", "case_manager", "assessments", "plan", "referrals", "placements")
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert after["shared_with"] == [] and len(after["closures"]) == 0
    assert len((await cases.get(f"{path}/employment")).json()) == 1


async def test_a_shared_case_is_visible_to_the_colleague_until_unshared(
    cases: httpx.AsyncClient,
) -> None:
    anna, carl = new_manager(), new_manager()
    async with as_user(cases, anna) as by_anna, as_user(cases, carl) as by_carl:
        case = await _open(by_anna)
        path = f"/cases/{case['id']}"
        assert (await by_carl.get(path)).status_code == 404
        shared = await by_anna.post(f"{path}/shares", json={"case_manager": carl})
        assert shared.status_code == 200, shared.text
        assert [s["case_manager"] for s in shared.json()] == [carl]
        again = await by_anna.post(f"{path}/shares", json={"case_manager": carl})
        assert [s["case_manager"] for s in again.json()] == [carl]
        self_share = await by_anna.post(f"{path}/shares", json={"case_manager": anna})
        assert self_share.status_code == 422

        view = await by_carl.get(path)
        assert view.status_code == 200 and view.json()["person"]["family_name"] == "Rahimi"
        assert [s["case_manager"] for s in view.json()["shared_with"]] == [carl]
        assert [c["id"] for c in (await by_carl.get("/cases")).json()["items"]] == [case["id"]]
        assessed = await by_carl.post(f"{path}/assessment", json={"needs": ["housing"]})
        assert assessed.status_code == 200, assessed.text
        assert assessed.json()["assessments"][0]["created_by"] == carl
        # only the holder hands the case over or changes its shares
        assert (
            await by_carl.post(f"{path}/transfer", json={"case_manager": carl})
        ).status_code == 403
        assert (
            await by_carl.post(f"{path}/shares", json={"case_manager": "x.cm"})
        ).status_code == 403
        assert (await by_carl.delete(f"{path}/shares/{carl}")).status_code == 403

        assert (await by_anna.delete(f"{path}/shares/{carl}")).status_code == 204
        assert (await by_anna.delete(f"{path}/shares/{carl}")).status_code == 404
        assert (await by_carl.get(path)).status_code == 404
        assert (await by_carl.get("/cases")).json()["total"] == 0


async def test_after_a_transfer_only_the_new_manager_holds_the_case(
    cases: httpx.AsyncClient,
) -> None:
    anna, ben = new_manager(), new_manager()
    async with as_user(cases, anna) as by_anna, as_user(cases, ben) as by_ben:
        case = await _open(by_anna)
        path = f"/cases/{case['id']}"
        await by_anna.post(f"{path}/assessment", json={"needs": ["employment"]})
        assert (await by_ben.get(path)).status_code == 404
        moved = await by_anna.post(f"{path}/transfer", json={"case_manager": ben})
        assert moved.status_code == 200, moved.text

        assert (await by_ben.get(path)).json()["case_manager"] == ben
        assert [c["id"] for c in (await by_ben.get("/cases")).json()["items"]] == [case["id"]]
        assert (await by_anna.get(path)).status_code == 404
        assert (await by_anna.get("/cases")).json()["total"] == 0
        refused = await by_anna.post(f"{path}/closure", json={"reason": "other"})
        assert refused.status_code == 404
        # ben shares it back: anna may see it again, but no longer hand it over
        await by_ben.post(f"{path}/shares", json={"case_manager": anna})
        assert (await by_anna.get(path)).status_code == 200
        back = await by_anna.post(f"{path}/transfer", json={"case_manager": anna})
        assert back.status_code == 403


async def test_providers_see_and_answer_only_the_referrals_to_their_offers(
    cases: httpx.AsyncClient,
) -> None:
    mine, theirs = await _two_offers_of_different_providers(cases)
    case = await _open(cases)
    path = f"/cases/{case['id']}"
    await cases.post(f"{path}/assessment", json={"needs": ["language", "employment"]})
    await cases.post(f"{path}/referrals", json={"offer_id": mine["id"], "note": "Rahimi, eilig"})
    referrals = (await cases.post(f"{path}/referrals", json={"offer_id": theirs["id"]})).json()[
        "referrals"
    ]
    to_mine, to_theirs = (r["id"] for r in referrals)
    other_case = await _open(cases)

    provider = provider_headers(mine)
    listed = await cases.get("/referrals", params={"limit": 200}, headers=provider)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert to_mine in [r["id"] for r in items] and to_theirs not in [r["id"] for r in items]
    assert {r["offer_id"] for r in items} <= {
        o["id"]
        for o in (await cases.get("/offers", params={"provider_id": mine["provider_id"]})).json()[
            "items"
        ]
    }
    [row] = [r for r in items if r["id"] == to_mine]
    assert set(row) == REFERRAL_FIELDS and row["case_id"] == case["id"]
    assert "Rahimi" not in listed.text and "1990-04-12" not in listed.text

    # another provider's referral, or its own under the wrong case: 404 as if unknown
    for target in (
        f"{path}/referrals/{to_theirs}/response",
        f"/cases/{other_case['id']}/referrals/{to_mine}/response",
    ):
        refused = await cases.post(target, json={"accepted": True}, headers=provider)
        assert refused.status_code == 404, refused.text
    not_theirs = await cases.post(
        f"{path}/referrals/{to_theirs}/completion", json={"outcome": "successful"}, headers=provider
    )
    assert not_theirs.status_code == 404
    answered = await cases.post(
        f"{path}/referrals/{to_mine}/response", json={"accepted": True}, headers=provider
    )
    assert answered.status_code == 200, answered.text
    assert set(answered.json()) == REFERRAL_FIELDS and answered.json()["status"] == "accepted"
    accepted = await cases.get("/referrals", params={"status": "accepted"}, headers=provider)
    assert to_mine in [r["id"] for r in accepted.json()["items"]]

    # no case data for a provider, and no referrals for a token without its provider id
    for case_path in (path, "/cases", f"{path}/employment", f"{path}/volunteers"):
        assert (await cases.get(case_path, headers=provider)).status_code == 403, case_path
    bare = auth.headers("desk.nobody", Role.provider)
    assert (await cases.get("/referrals", headers=bare)).status_code == 403
    assert (await cases.get("/referrals")).status_code == 403  # a case manager


async def test_the_catalogue_is_public_and_kept_by_case_managers_and_admins(
    cases: httpx.AsyncClient, cases_url: str
) -> None:
    offer = {
        "name": "Nähcafé",
        "category": "other",
        "provider": "Stadtteiltreff Lindenau",
        "provider_id": "stadtteiltreff-lindenau",
        "place": "Lindenau",
        "target_group": "alle",
        "contact": "treff@lindenau.example",
    }
    async with httpx.AsyncClient(base_url=cases_url, timeout=30) as public:
        first = (await public.get("/offers", params={"limit": 1})).json()["items"][0]
        assert (await public.get(f"/offers/{first['id']}")).json() == first
        assert (await public.post("/offers", json=offer)).status_code == 401
    for user, role, status in (
        ("desk.lindenau", Role.provider, 403),
        ("petra.officer", Role.programme_officer, 403),
        ("ada.admin", Role.admin, 201),
    ):
        provider = offer["provider_id"] if role is Role.provider else None
        async with as_user(cases, user, role, provider=provider) as client:
            assert (await client.post("/offers", json=offer)).status_code == status, user
    assert (await cases.post("/offers", json=offer)).status_code == 201


async def test_tasks_are_each_case_managers_own(
    cases: httpx.AsyncClient, settings: WirSettings
) -> None:
    anna, carl = new_manager(), new_manager()
    async with as_user(cases, anna) as by_anna, as_user(cases, carl) as by_carl:
        case = await _open(by_anna)
        task_id = f"task-{case['id']}"

        async def opened_projected() -> bool:
            # the consumer projects wir.case.opened, whose actor answers any open inactivity
            # reminder: the task is raised after it, as a deadline event would be
            async with _cases_db(settings) as session:
                found = await session.scalar(
                    select(CaseEvent.event_id).where(
                        CaseEvent.case_id == case["id"], CaseEvent.type == "wir.case.opened"
                    )
                )
            return found is not None

        await eventually(opened_projected)
        async with _cases_db(settings) as session:  # as a deadline event would raise it
            now = datetime.now(UTC)
            session.add(
                CaseTask(
                    id=task_id,
                    case_id=case["id"],
                    case_manager=anna,
                    kind="inactivity",
                    due_at=now,
                    status="open",
                    created_at=now,
                )
            )
            await session.commit()
        assert [t["id"] for t in (await by_anna.get("/tasks")).json()["items"]] == [task_id]
        assert (await by_carl.get("/tasks")).json()["items"] == []
        assert (await by_carl.post(f"/tasks/{task_id}/done")).status_code == 404
        done = await by_anna.post(f"/tasks/{task_id}/done")
        assert done.status_code == 200 and done.json()["done_by"] == anna


async def test_audit_log_records_commands_and_personal_data_reads(
    cases: httpx.AsyncClient,
) -> None:
    case = await _open(cases)
    path = f"/cases/{case['id']}"
    assert (await cases.get(path)).status_code == 200
    assert (await cases.get(f"{path}/employment")).status_code == 200
    assert (await cases.get("/cases")).status_code == 200  # no names: not a personal read
    async with as_user(cases, "petra.officer", Role.programme_officer) as officer:
        denied = await officer.post(f"{path}/assessment", json={"needs": ["housing"]})
        assert denied.status_code == 403
    async with as_user(cases, new_manager()) as stranger:
        assert (await stranger.get(path)).status_code == 404
    ok = await cases.post(f"{path}/assessment", json={"needs": ["housing"]})
    assert ok.status_code == 200
    contact = await cases.post(
        "/cases", json={"person": PERSON, "consent": {"given": False}, "topics": ["health_access"]}
    )
    assert contact.status_code == 200 and contact.json()["kind"] == "no_case"

    async with as_user(cases, "ada.admin", Role.admin) as admin:
        reads = await admin.get("/audit", params={"kind": "read", "object_id": case["id"]})
        assert reads.status_code == 200, reads.text
        seen = {(e["user"], e["action"], e["outcome"]) for e in reads.json()["items"]}
        assert seen >= {
            ("anna.cm", "get_case", "ok"),
            ("anna.cm", "list_employment_steps", "ok"),
        }
        # the stranger's attempt is on record too
        assert any(u.startswith("cm.") and o == "rejected" for u, _, o in seen)
        commands = await admin.get("/audit", params={"kind": "command", "object_id": case["id"]})
        done = {(e["user"], e["action"], e["outcome"]) for e in commands.json()["items"]}
        assert ("petra.officer", "assess", "denied") in done
        assert ("anna.cm", "assess", "ok") in done
        # a creation names the object it made (the answer's id), or what the route says
        assert ("anna.cm", "open_case", "ok") in done
        contact_id = contact.json()["counselling_contact_id"]
        made = await admin.get("/audit", params={"object_id": contact_id})
        [row] = made.json()["items"]
        assert (row["action"], row["object_type"]) == ("open_case", "counselling_contact")
        entry = next(e for e in commands.json()["items"] if e["outcome"] == "ok")
        assert entry["object_type"] == "case" and entry["roles"] == ["case_manager"]
        listed = await admin.get("/audit", params={"kind": "read", "action": "list_cases"})
        assert listed.json()["total"] == 0
    assert (await cases.get("/audit")).status_code == 403
