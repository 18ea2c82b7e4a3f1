"""Who may do what in the coordination service (services/coordination/access.py), over
real HTTP: 401 without a token, 403 for roles with no business here and for case managers
on the office's commands, 404 for what does not exist or a case manager may not see. The
tests walk every route of the OpenAPI document, so a route added later without its rule
fails here."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from shared.auth import Role
from tests.case_clients import as_user

#: Roles with no business in the coordination service.
OUTSIDERS = (
    Role.programme_officer,
    Role.reviewer,
    Role.approver,
    Role.applicant,
    Role.provider,
    Role.operator,
)
#: What a case manager may do: read the network and the groups they are a member of.
CASE_MANAGER_READS = {
    ("get", "/actors"),
    ("get", "/actors/{actor_id}"),
    ("get", "/actors/{actor_id}/contacts"),
    ("get", "/groups"),
    ("get", "/groups/{group_id}"),
    ("get", "/groups/{group_id}/history"),
    ("get", "/groups/{group_id}/meetings"),
    ("get", "/groups/{group_id}/meetings/{meeting_id}"),
    ("get", "/groups/{group_id}/action-items"),
    ("get", "/groups/{group_id}/action-items/{item_id}"),
    # their own action items only (checked below)
    ("post", "/groups/{group_id}/action-items/{item_id}/done"),
    # the Fachtage, to register their clients by case id (their own registrations only:
    # tests/integration/test_coordination_activities_access.py)
    ("get", "/fachtage"),
    ("get", "/fachtage/{fachtag_id}"),
    ("post", "/fachtage/{fachtag_id}/participants"),
    ("post", "/fachtage/{fachtag_id}/participants/{participant_id}/cancellation"),
}
#: Paths whose innermost parameter names no stored thing (a report exists for every year).
NOT_LOOKED_UP = ("{year}",)


async def _routes(client: httpx.AsyncClient) -> list[tuple[str, str]]:
    """Every (method, path) of the service but health and the event catalogue."""
    spec = (await client.get("/openapi.json")).json()
    return [
        (method, path)
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
        and not path.startswith(("/health", "/events"))
    ]


def _fill(path: str, **ids: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "x0"), path)


def _valid_bodies() -> dict[tuple[str, str], dict[str, Any]]:
    """Bodies the routes accept, so a 404 is not hidden behind a 422."""
    soon = (datetime.now(UTC) + timedelta(days=9)).isoformat()
    due = (datetime.now(UTC) + timedelta(days=9)).date().isoformat()
    return {
        ("put", "/actors/{actor_id}"): {"name": "V", "type": "club", "place": "P"},
        ("post", "/actors/{actor_id}/contacts"): {"name": "N"},
        ("put", "/actors/{actor_id}/contacts/{contact_id}"): {"name": "N"},
        ("put", "/groups/{group_id}/members"): {"members": []},
        ("put", "/groups/{group_id}/cadence"): {"first_starts_at": soon, "every_weeks": 2},
        ("post", "/groups/{group_id}/meetings"): {"starts_at": soon, "place": "R"},
        ("post", "/groups/{group_id}/action-items"): {
            "title": "T",
            "owner": {"kind": "staff", "id": "clara.coord"},
            "due_date": due,
        },
        ("post", "/groups/{group_id}/meetings/{meeting_id}/minutes"): {"minutes": "M"},
        ("patch", "/groups/{group_id}/meetings/{meeting_id}"): {"agenda": "TOP 1"},
        ("post", "/fachtage/{fachtag_id}/invitations"): {"actor_ids": ["x0"]},
        ("post", "/fachtage/{fachtag_id}/participants"): {"kind": "staff", "user_id": "sven"},
        ("post", "/fachtage/{fachtag_id}/attendance"): {"attended": []},
        ("post", "/fachtage/{fachtag_id}/documentation"): {"text": "T"},
        ("post", "/fachtage/{fachtag_id}/cancellation"): {"reason": "Referentin erkrankt"},
        ("patch", "/measures/{measure_id}"): {"status": "completed"},
    }


async def _call(
    client: httpx.AsyncClient, method: str, path: str, template: str = ""
) -> httpx.Response:
    body: dict[str, Any] | None = {} if method in ("post", "put", "patch") else None
    body = _valid_bodies().get((method, template), body)
    return await client.request(method.upper(), path, json=body)


async def _world(coordination: httpx.AsyncClient) -> dict[str, str]:
    """An actor with a contact, a group with a meeting and an action item: real ids."""
    actor = (
        await coordination.post(
            "/actors", json={"name": "Sportverein", "type": "club", "place": "Schotten"}
        )
    ).json()
    contact = (
        await coordination.post(f"/actors/{actor['id']}/contacts", json={"name": "Tom Berg"})
    ).json()
    group = (await coordination.post("/groups", json={"name": "AG Sport"})).json()
    starts = (datetime.now(UTC) + timedelta(days=40)).isoformat()
    meeting = (
        await coordination.post(
            f"/groups/{group['id']}/meetings",
            json={"starts_at": starts, "online_link": "https://meet.example.org/ag"},
        )
    ).json()
    due = (datetime.now(UTC) + timedelta(days=60)).date().isoformat()
    item = (
        await coordination.post(
            f"/groups/{group['id']}/action-items",
            json={
                "title": "Hallenzeiten",
                "owner": {"kind": "staff", "id": "clara.coord"},
                "due_date": due,
            },
        )
    ).json()
    day = (
        await coordination.post(
            "/fachtage",
            json={
                "title": "Fachtag",
                "audience": "alle",
                "capacity": 2,
                "starts_at": starts,
                "registration_closes_at": starts,
            },
        )
    ).json()
    await coordination.post(f"/fachtage/{day['id']}/registration/open")
    registered = await coordination.post(
        f"/fachtage/{day['id']}/participants", json={"kind": "staff", "user_id": "sven.staff"}
    )
    measure = (
        await coordination.post(
            "/measures",
            json={
                "institution_id": actor["id"],
                "kind": "other",
                "title": "Maßnahme",
                "goal": "Ziel",
            },
        )
    ).json()
    return {
        "fachtag_id": day["id"],
        "participant_id": registered.json()["participants"][0]["participant_id"],
        "measure_id": measure["id"],
        "actor_id": actor["id"],
        "contact_id": contact["id"],
        "group_id": group["id"],
        "meeting_id": meeting["id"],
        "item_id": item["id"],
    }


def _wrong(answers: list[tuple[str, str, httpx.Response]], expected: int) -> dict[str, int]:
    return {f"{m.upper()} {p}": r.status_code for m, p, r in answers if r.status_code != expected}


async def test_every_route_needs_a_token(coordination_url: str) -> None:
    async with httpx.AsyncClient(base_url=coordination_url, timeout=30) as anonymous:
        routes = await _routes(anonymous)
        assert len(routes) >= 20, routes  # the walk found the service's routes
        answers = [(m, p, await _call(anonymous, m, _fill(p))) for m, p in routes]
        assert not _wrong(answers, 401)
        assert all(r.headers["www-authenticate"] == "Bearer" for _, _, r in answers)


async def test_roles_outside_coordination_get_403_everywhere(
    coordination: httpx.AsyncClient,
) -> None:
    ids = await _world(coordination)
    routes = await _routes(coordination)
    for role in OUTSIDERS:
        async with as_user(coordination, f"someone.{role.value}", role) as outsider:
            answers = [(m, p, await _call(outsider, m, _fill(p, **ids))) for m, p in routes]
            assert not _wrong(answers, 403), role


async def test_case_managers_get_403_on_the_offices_commands_and_404_on_others_groups(
    coordination: httpx.AsyncClient,
) -> None:
    ids = await _world(coordination)
    routes = await _routes(coordination)
    async with as_user(coordination, "carl.cm", Role.case_manager) as manager:
        commands = [(m, p) for m, p in routes if (m, p) not in CASE_MANAGER_READS]
        group_reads = [(m, p) for m, p in CASE_MANAGER_READS if "{group_id}" in p]
        # the office's commands: 403 before anything is looked up (/audit: admins only)
        refused = [
            (m, p, await _call(manager, m, _fill(p, **ids)))
            for m, p in commands
            if "{group_id}" not in p
        ]
        assert not _wrong(refused, 403)
        # a group they are not a member of does not exist for them
        hidden = [(m, p, await _call(manager, m, _fill(p, **ids))) for m, p in group_reads]
        assert not _wrong(hidden, 404)
        on_group = [
            (m, p, await _call(manager, m, _fill(p, **ids)))
            for m, p in commands
            if "{group_id}" in p
        ]
        assert all(r.status_code in (403, 404) for _, _, r in on_group), _wrong(on_group, 403)
        # the network is theirs to read
        assert (await manager.get(f"/actors/{ids['actor_id']}")).status_code == 200
        contacts = await manager.get(f"/actors/{ids['actor_id']}/contacts")
        assert contacts.status_code == 200


async def test_a_member_case_manager_reads_the_group_but_completes_only_own_items(
    coordination: httpx.AsyncClient,
) -> None:
    ids = await _world(coordination)
    gid = ids["group_id"]
    members = {"members": [{"kind": "staff", "id": "carl.cm"}]}
    assert (await coordination.put(f"/groups/{gid}/members", json=members)).status_code == 200
    async with as_user(coordination, "carl.cm", Role.case_manager) as manager:
        for path in (f"/groups/{gid}", f"/groups/{gid}/meetings", f"/groups/{gid}/action-items"):
            assert (await manager.get(path)).status_code == 200, path
        done = await manager.post(f"/groups/{gid}/action-items/{ids['item_id']}/done")
        assert done.status_code == 403  # the office's own item
        cancel = await manager.post(f"/groups/{gid}/meetings/{ids['meeting_id']}/cancel")
        assert cancel.status_code == 403
        meeting = f"/groups/{gid}/meetings/{ids['meeting_id']}"
        change = await manager.patch(meeting, json={"place": "Rathaus"})
        assert change.status_code == 403  # members read the meeting; the office changes it


async def test_what_does_not_exist_is_404_for_the_office(coordination: httpx.AsyncClient) -> None:
    ids = await _world(coordination)
    routes = [
        (m, p)
        for m, p in await _routes(coordination)
        if "{" in p and not p.endswith(NOT_LOOKED_UP) and not p.endswith(("/csv", "/pdf"))
    ]
    missing: list[tuple[str, str, httpx.Response]] = []
    for method, path in routes:
        names = re.findall(r"\{(\w+)\}", path)
        # the innermost id unknown, the outer ones real
        fake = {**ids, names[-1]: "no-such-id"}
        response = await _call(coordination, method, _fill(path, **fake), path)
        missing.append((method, path, response))
    assert len(missing) >= 15
    assert not _wrong(missing, 404)
