"""Property: no round, funding period or extension a client can send wedges an application.

Hypothesis draws a round's deadlines and period (valid ones and ones beyond the bounds),
the application's funding period and an extension's new end, and drives them through the
real service and workflow: create the round (or fall back to a valid one when it is
refused), draft, submit, review, approve, waive the appeal, request and decide the
extension. Every answer must be a success or a 4xx, in time (the client's timeout is
below the 20 s a wedged workflow takes to answer 502), and afterwards the application
must still take a further valid command.

Derandomized with few examples, so CI runs the same inputs in well under a minute.
Hypothesis runs in a worker thread: the service is served by the session's event loop.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from shared.auth import Role
from tests import auth
from tests import grant_flows as flow

TODAY = datetime.now(UTC).date()
OFFICER = auth.headers("petra.officer", Role.programme_officer)

days = st.one_of(
    st.integers(min_value=0, max_value=800),
    st.sampled_from([-400, -1, 10**9, 999_999_999, 10**12]),
)
deadlines = st.fixed_dictionaries(
    {},
    optional={
        "review_sla_days": days,
        "appeal_window_days": st.sampled_from([0, 31]) | days,
        "report_grace_days": days,
        "final_report_months": st.integers(min_value=-1, max_value=70),
        "reminder_offsets_days": st.lists(days, max_size=12),
        "interim_reports": st.booleans(),
    },
)
round_ends = st.sampled_from(
    [TODAY + timedelta(days=3 * 365), date(2099, 12, 31), date(2100, 1, 1), date(9999, 12, 31)]
)
# relative to the round's end, or absolute
period_ends = st.sampled_from(["default", "round_end", "round_end+1", "9999-12-31"])
extensions = st.sampled_from(
    ["period_end+30", "period_end", "round_end", "round_end+1", "2099-12-31", "9999-12-31"]
)


def _resolve(choice: str, *, round_end: date, period_end: date | None = None) -> str:
    anchors = {"round_end": round_end, "period_end": period_end}
    name, _, plus = choice.partition("+")
    anchor = anchors.get(name)
    if anchor is None:
        return choice
    return str(anchor + timedelta(days=int(plus or 0)))


class Driver:
    """Sends the steps over HTTP and checks that every answer is a success or a 4xx."""

    def __init__(self, client: httpx.Client, organisation_id: str) -> None:
        self.client = client
        self.applicant = auth.headers(
            "verein.kontakt", Role.applicant, organisation=organisation_id
        )
        self.organisation_id = organisation_id
        self.statuses: list[int] = []

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.client.request(method, path, **kwargs)
        self.statuses.append(response.status_code)
        assert response.status_code < 500, f"{method} {path}: {response.text}"
        return response

    def stage(self, application_id: str) -> str:
        body = self.call("GET", f"/applications/{application_id}").json()
        return str(body["stage"])

    def wait_for(self, application_id: str, *stages: str) -> str:
        deadline = time.monotonic() + 15
        while (current := self.stage(application_id)) not in stages:
            assert time.monotonic() < deadline, f"stuck in {current}, expected {stages}"
            time.sleep(0.1)
        return current


def _drive(
    driver: Driver,
    fallback: tuple[str, date],
    round_deadlines: dict[str, Any],
    round_end: date,
    period_end: str,
    extension: str,
) -> None:
    now = datetime.now(UTC)
    round_id = f"p{uuid.uuid4().hex[:10]}"
    created = driver.call(
        "POST",
        "/rounds",
        json={
            "id": round_id,
            "title": "Eigenschaftstest",
            "submission_opens_at": (now - timedelta(days=1)).isoformat(),
            "submission_closes_at": (now + timedelta(days=30)).isoformat(),
            "period_earliest_start": str(TODAY),
            "period_latest_end": str(round_end),
            "deadlines": round_deadlines,
            "budgets": {"coordination": "1000000.00"},
        },
    )
    if created.status_code == 201:
        assert driver.call("POST", f"/rounds/{round_id}/open").status_code == 200
    else:
        round_id, round_end = fallback
    body = {
        "organisation_id": driver.organisation_id,
        "round_id": round_id,
        "priority_code": "coordination",
        **flow.content("10000.00"),
    }
    if period_end != "default":
        body["funding_period_end"] = _resolve(period_end, round_end=round_end)
    drafted = driver.call("POST", "/applications", json=body)
    if drafted.status_code != 201:
        body.update(flow.content("10000.00"))
        drafted = driver.call("POST", "/applications", json=body)
    assert drafted.status_code == 201, drafted.text
    application_id = drafted.json()["id"]
    path = f"/applications/{application_id}"
    assert driver.call("POST", f"{path}/submit").status_code == 202
    driver.wait_for(application_id, "in_review")
    driver.call("POST", f"{path}/reviewer", json={"reviewer": "rita.reviewer"})
    review = {"scores": flow.FULL_SCORES, "recommendation": "approve"}
    driver.call("POST", f"{path}/review", json=review, headers=flow.REVIEWER)
    approve = {"decision": "approve", "granted_amount": "5000.00"}
    approved = driver.call("POST", f"{path}/decision", json=approve, headers=flow.APPROVER)
    if approved.status_code != 200:
        # still movable: the application can be rejected instead
        reject = {"decision": "reject", "reason": "nicht bewilligungsfähig"}
        rejected = driver.call("POST", f"{path}/decision", json=reject, headers=flow.APPROVER)
        assert rejected.status_code == 200, rejected.text
        return
    driver.call("POST", f"{path}/appeal-waiver", headers=driver.applicant)
    driver.wait_for(application_id, "active")
    current_end = date.fromisoformat(driver.call("GET", path).json()["funding_period_end"])
    new_end = _resolve(extension, round_end=round_end, period_end=current_end)
    change = {"kind": "extension", "new_period_end": new_end, "reason": "später begonnen"}
    requested = driver.call(
        "POST", f"{path}/change-requests", json=change, headers=driver.applicant
    )
    if requested.status_code == 200:
        assert date.fromisoformat(new_end) <= round_end
        change_id = requested.json()["history"][-1]["data"]["change_id"]
        decision = driver.call(
            "POST", f"{path}/change-requests/{change_id}/decision", json={"approve": True}
        )
        assert decision.status_code == 200, decision.text
        assert decision.json()["funding_period_end"] == new_end
    # still movable: a Mittelabruf is taken
    payment = driver.call(
        "POST", f"{path}/payments", json={"amount": "100.00"}, headers=driver.applicant
    )
    assert payment.status_code == 200, payment.text
    assert driver.stage(application_id) == "active"


def _property(base_url: str, organisation_id: str, fallback: tuple[str, date]) -> list[int]:
    with httpx.Client(base_url=base_url, headers=OFFICER, timeout=15) as client:
        driver = Driver(client, organisation_id)

        @settings(
            max_examples=15,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: report the first case
            suppress_health_check=list(HealthCheck),
        )
        @given(
            round_deadlines=deadlines,
            round_end=round_ends,
            period_end=period_ends,
            extension=extensions,
        )
        def run(
            round_deadlines: dict[str, Any], round_end: date, period_end: str, extension: str
        ) -> None:
            _drive(driver, fallback, round_deadlines, round_end, period_end, extension)

        run()
        return driver.statuses


async def test_no_round_period_or_extension_wedges_an_application(
    applications: httpx.AsyncClient, applications_url: str
) -> None:
    organisation_id = await flow.organisation(applications)
    fallback_id = await flow.open_round(applications)
    fallback_end = date.fromisoformat(
        (await applications.get(f"/rounds/{fallback_id}")).json()["period_latest_end"]
    )
    started = time.monotonic()
    statuses = await asyncio.to_thread(
        _property, applications_url, organisation_id, (fallback_id, fallback_end)
    )
    print(f"{len(statuses)} answers in {time.monotonic() - started:.1f} s: {sorted(set(statuses))}")
    assert 422 in statuses and 200 in statuses
