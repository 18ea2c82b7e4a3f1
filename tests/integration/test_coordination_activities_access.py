"""Who may use the Fachtage, measures and report routes: 401 without a token, 403 for the
wrong role, 404 for a day, participant or measure that does not exist or is not theirs."""

from __future__ import annotations

import httpx
import pytest

from shared.auth import Role
from tests import auth
from tests.case_clients import new_manager
from tests.coordination_clients import plan_open_fachtag

UNKNOWN = "00000000-0000-0000-0000-000000000000"
DAY = f"/fachtage/{UNKNOWN}"
OFFICE_ONLY = [
    ("POST", "/fachtage"),
    ("POST", f"{DAY}/invitations"),
    ("POST", f"{DAY}/registration/open"),
    ("POST", f"{DAY}/registration/close"),
    ("POST", f"{DAY}/attendance"),
    ("POST", f"{DAY}/documentation"),
    ("POST", f"{DAY}/cancellation"),
    ("POST", "/measures"),
    ("GET", "/measures"),
    ("GET", "/measures/institutions"),
    ("GET", f"/measures/{UNKNOWN}"),
    ("PATCH", f"/measures/{UNKNOWN}"),
    ("GET", "/reports/2027"),
    ("GET", "/reports/2027/csv"),
    ("GET", "/reports/2027/pdf"),
]
READERS = [
    ("GET", "/fachtage"),
    ("GET", DAY),
    ("POST", f"{DAY}/participants"),
    ("POST", f"{DAY}/participants/p/cancellation"),
]


def _client(url: str, user: str, role: Role) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=url, headers=auth.headers(user, role))


@pytest.mark.parametrize(("method", "path"), OFFICE_ONLY + READERS)
async def test_no_token_is_401(coordination_url: str, method: str, path: str) -> None:
    async with httpx.AsyncClient(base_url=coordination_url) as anonymous:
        answer = await anonymous.request(method, path, json={})
    assert answer.status_code == 401, answer.text


@pytest.mark.parametrize(("method", "path"), OFFICE_ONLY + READERS)
async def test_other_roles_are_403(coordination_url: str, method: str, path: str) -> None:
    for role in (Role.applicant, Role.provider, Role.programme_officer):
        async with _client(coordination_url, "someone", role) as client:
            answer = await client.request(method, path, json={})
        assert answer.status_code == 403, (role, answer.text)


@pytest.mark.parametrize(("method", "path"), OFFICE_ONLY)
async def test_case_managers_may_not_run_the_office(
    coordination_url: str, method: str, path: str
) -> None:
    async with _client(coordination_url, new_manager(), Role.case_manager) as cm:
        answer = await cm.request(method, path, json={})
    assert answer.status_code == 403, answer.text


async def test_unknown_days_and_measures_are_404(coordination: httpx.AsyncClient) -> None:
    for method, path, body in (
        ("GET", DAY, None),
        ("POST", f"{DAY}/registration/open", None),
        ("POST", f"{DAY}/cancellation", {"reason": "Referentin erkrankt"}),
        ("POST", f"{DAY}/participants", {"kind": "staff", "user_id": "sven"}),
        ("GET", f"/measures/{UNKNOWN}", None),
        ("PATCH", f"/measures/{UNKNOWN}", {"status": "completed"}),
    ):
        answer = await coordination.request(method, path, json=body)
        assert answer.status_code == 404, (path, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")


async def test_a_case_manager_sees_and_cancels_only_their_own_registrations(
    coordination: httpx.AsyncClient, coordination_url: str
) -> None:
    day = await plan_open_fachtag(coordination, capacity=5)
    path = f"/fachtage/{day['id']}"
    async with (
        _client(coordination_url, new_manager(), Role.case_manager) as anna,
        _client(coordination_url, new_manager(), Role.case_manager) as bert,
    ):
        mine = await anna.post(f"{path}/participants", json={"kind": "refugee", "case_id": "c-a"})
        assert mine.status_code == 200, mine.text
        [registration] = mine.json()["participants"]
        seen_by_bert = (await bert.get(path)).json()
        assert seen_by_bert["participants"] == [] and seen_by_bert["history"] is None
        pid = registration["participant_id"]
        other = await bert.post(f"{path}/participants/{pid}/cancellation")
        assert other.status_code == 404, other.text
        own = await anna.post(f"{path}/participants/{pid}/cancellation")
        assert own.status_code == 200, own.text
        assert own.json()["participants"][0]["status"] == "cancelled"
