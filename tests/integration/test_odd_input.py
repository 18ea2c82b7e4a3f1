"""Odd but well-formed input gets a clear 4xx, never a 5xx: dates at the calendar's edges
for the audit log and the statistics; and every service answer carries the security
headers (shared/headers.py)."""

from __future__ import annotations

import httpx
import pytest

from shared.auth import Role
from tests import auth

ADMIN = auth.headers("ada.admin", Role.admin)

EDGE_MOMENTS = [
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+00:01",
    "9999-12-31T23:59:59.999999-00:01",
]


@pytest.mark.parametrize("moment", EDGE_MOMENTS)
@pytest.mark.parametrize("bound", ["since", "until"])
async def test_audit_times_outside_the_calendar_in_utc_are_refused(
    applications: httpx.AsyncClient, cases: httpx.AsyncClient, bound: str, moment: str
) -> None:
    for service in (applications, cases):
        answer = await service.get("/audit", params={bound: moment}, headers=ADMIN)
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["loc"] == ["query", bound]


async def test_audit_times_at_the_edges_that_exist_in_utc_are_answered(
    applications: httpx.AsyncClient,
) -> None:
    for params in (
        {"since": "0001-01-01T00:00:00", "until": "9999-12-31T23:59:59"},
        {"since": "0001-01-01T23:59:00+23:59", "until": "9999-12-31T00:00:00-23:59"},
    ):
        answer = await applications.get("/audit", params=params, headers=ADMIN)
        assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    "period",
    [
        {"to": "9999-12-31"},
        {"from": "0001-01-01"},
        {"from": "9999-12-31", "to": "9999-12-31"},
        {"from": "2030-01-01", "to": "2029-12-31"},
    ],
)
async def test_statistics_periods_outside_the_window_are_refused(
    cases: httpx.AsyncClient, period: dict[str, str]
) -> None:
    for path in ("/statistics", "/statistics.csv"):
        answer = await cases.get(path, params=period, headers=ADMIN)
        assert answer.status_code == 422, answer.text
        assert answer.json()["title"] == "Invalid period"


async def test_statistics_at_the_window_edges_are_answered(cases: httpx.AsyncClient) -> None:
    answer = await cases.get(
        "/statistics", params={"from": "1900-01-01", "to": "2199-12-31"}, headers=ADMIN
    )
    assert answer.status_code == 200, answer.text


async def test_every_service_answer_says_nosniff_and_html_gets_a_policy(
    applications: httpx.AsyncClient, cases: httpx.AsyncClient, notifications: httpx.AsyncClient
) -> None:
    for service in (applications, cases, notifications):
        json_answer = await service.get("/health")
        problem = await service.get("/audit", headers={"Authorization": ""})
        missing = await service.get("/no-such-route")
        for answer in (json_answer, problem, missing):
            assert answer.headers["x-content-type-options"] == "nosniff", answer.url
            assert "content-security-policy" not in answer.headers
        docs = await service.get("/docs")
        assert docs.headers["content-type"].startswith("text/html")
        assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
        assert docs.headers["x-frame-options"] == "DENY"
        assert docs.headers["referrer-policy"] == "no-referrer"
