"""The office's views on a real database: round statistics, CSV export, the Bescheid.

The rows are written directly (as the read model's projection would leave them) into the
migrated schema: a fresh SQLite file, or the session's PostgreSQL database when one is
given; every test uses its own round, so rows of other tests do not count.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.applications.applications.models import Application
from services.applications.catalogue.models import Organisation
from services.applications.office import letters
from services.applications.office import routes as office_routes
from services.applications.office import service as office
from services.applications.rounds.models import FundingRound, RoundPriority
from shared import problems
from shared.auth import Role, install_auth
from shared.contracts.grants import Deadlines
from shared.csv_export import CsvFormat
from shared.db import create_engine, session_factory
from shared.deps import get_session
from shared.migrations import upgrade
from shared.problems import ProblemError
from shared.settings import WirSettings
from tests import auth

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
MIGRATIONS = Path("services/applications/migrations")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url.replace("{service}", "applications_office"))
    await upgrade(engine, MIGRATIONS)
    yield session_factory(engine)
    await engine.dispose()


@dataclass
class Round:
    id: str
    apps: dict[str, str]  # label → application id


def _org(session: AsyncSession, name: str, applicant_type: str) -> str:
    org_id = str(uuid.uuid4())
    session.add(
        Organisation(
            id=org_id,
            name=name,
            applicant_type=applicant_type,
            runs_interpreter_pool=False,
            is_non_profit=applicant_type == "independent_org",
            created_at=NOW,
            created_by="test",
        )
    )
    return org_id


def _round(session: AsyncSession) -> str:
    round_id = f"r-{uuid.uuid4().hex[:12]}"
    session.add(
        FundingRound(
            id=round_id,
            title="Förderrunde 2027",
            status="closed",  # so no other test takes it for an open call
            submission_opens_at=NOW,
            submission_closes_at=NOW,
            period_earliest_start=date(2027, 1, 1),
            period_latest_end=date(2029, 12, 31),
            deadlines=Deadlines().model_dump(),
            funds_use_months=2,
            created_at=NOW,
            created_by="test",
        )
    )
    return round_id


def _app(
    session: AsyncSession,
    *,
    round_id: str,
    org_id: str,
    priority: str,
    stage: str,
    requested: str,
    **values: object,
) -> str:
    app_id = str(uuid.uuid4())
    session.add(
        Application(
            id=app_id,
            file_number=f"WIR-TEST-{app_id[:8]}",
            organisation_id=org_id,
            priority_code=priority,
            round_id=round_id,
            title=f"Projekt {stage}",
            description="",
            target_group="Geflüchtete",
            place="Kassel",
            funding_period_start=date(2027, 4, 1),
            funding_period_end=date(2028, 3, 31),
            cost_lines=[{"category": "personnel", "description": "Stelle", "amount": requested}],
            requested_amount=Decimal(requested),
            stage=stage,
            created_at=NOW,
            created_by="test",
            updated_at=NOW,
            **values,
        )
    )
    return app_id


async def _seed(sessions: async_sessionmaker[AsyncSession]) -> Round:
    """Applications in several stages and three priorities of a fresh round (and one in
    another round that must not count)."""
    async with sessions() as session:
        round_id, other_round = _round(session), _round(session)
        district = _org(session, "Landkreis Kassel", "district")
        city = _org(session, "Stadt Hanau", "special_status_city")
        kassel = _org(session, "Stadt Kassel", "independent_city")
        association = _org(session, "=Verein <Miteinander> e.V.", "independent_org")
        await session.flush()
        session.add_all(
            [
                RoundPriority(
                    round_id=round_id,
                    priority_code="coordination",
                    budget=Decimal("500000"),
                    committed=Decimal("250000"),
                    paid=Decimal("100000"),
                ),
                RoundPriority(
                    round_id=round_id,
                    priority_code="case_management",
                    budget=Decimal("300000"),
                    committed=Decimal("0"),
                    paid=Decimal("0"),
                ),
            ]
        )
        due = datetime(2028, 9, 30, 21, 59, 59, tzinfo=UTC)  # 30.09.2028 23:59:59 in Hessen
        common = {"round_id": round_id}
        apps = {
            "active": _app(
                session,
                **common,
                org_id=district,
                priority="coordination",
                stage="active",
                requested="150000",
                granted_amount=Decimal("140000"),
                paid_amount=Decimal("100000"),
                decided_by="approver.b",
                decided_at=NOW,
                final_report_due_at=due,
            ),
            "approved": _app(
                session,
                **common,
                org_id=city,
                priority="coordination",
                stage="approved",
                requested="110000",
                granted_amount=Decimal("110000"),
                final_report_due_at=due,
            ),
            "rejected": _app(
                session,
                **common,
                org_id=kassel,
                priority="coordination",
                stage="rejected",
                requested="90000",
            ),
            "draft": _app(
                session,
                **common,
                org_id=kassel,
                priority="coordination",
                stage="draft",
                requested="50000",
            ),
            "in_review": _app(
                session,
                **common,
                org_id=district,
                priority="case_management",
                stage="in_review",
                requested="80000",
            ),
            # priority 3 has no budget row in this round
            "reclaim": _app(
                session,
                **common,
                org_id=association,
                priority="refugee_women",
                stage="reclaim",
                requested="30000.50",
                granted_amount=Decimal("25000.25"),
                paid_amount=Decimal("25000.25"),
                spent_amount=Decimal("20000"),
                reclaim_amount=Decimal("5000.25"),
                repaid_amount=Decimal("2000"),
                final_report_due_at=due,
                report_overdue=True,
            ),
        }
        _app(
            session,
            round_id=other_round,
            org_id=district,
            priority="coordination",
            stage="approved",
            requested="99999",
            granted_amount=Decimal("99999"),
        )
        await session.commit()
    return Round(id=round_id, apps=apps)


async def test_statistics_per_priority_and_round(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    seeded = await _seed(sessions)
    async with sessions() as session:
        stats = await office.round_statistics(session=session, round_id=seeded.id)
    assert stats.round_id == seeded.id and stats.title == "Förderrunde 2027"
    assert [p.priority_code for p in stats.priorities] == [
        "coordination",
        "case_management",
        "refugee_women",
    ]
    coordination, case_management, women = stats.priorities
    assert coordination.number == 1
    assert (coordination.budget, coordination.committed, coordination.paid) == (
        Decimal("500000.00"),
        Decimal("250000.00"),
        Decimal("100000.00"),
    )
    assert coordination.budget_left == Decimal("250000.00")
    assert coordination.applications == 4
    assert {k: v for k, v in coordination.by_stage.items() if v} == {
        "active": 1,
        "approved": 1,
        "rejected": 1,
        "draft": 1,
    }
    assert coordination.by_stage["closed"] == 0  # every stage is listed
    assert coordination.approved == 2
    assert coordination.requested_sum == Decimal("350000.00")  # the draft does not count
    assert coordination.granted_sum == Decimal("250000.00")

    assert case_management.budget_left == Decimal("300000.00")
    assert (case_management.applications, case_management.approved) == (1, 0)
    assert case_management.requested_sum == Decimal("80000.00")
    assert case_management.granted_sum == Decimal("0")

    assert (women.number, women.budget, women.budget_left) == (3, Decimal("0"), Decimal("0"))
    assert (women.applications, women.approved) == (1, 1)
    assert women.requested_sum == Decimal("30000.50")
    assert women.granted_sum == Decimal("25000.25")
    assert (women.reclaimed_sum, women.repaid_sum) == (Decimal("5000.25"), Decimal("2000.00"))

    totals = stats.totals
    assert (totals.budget, totals.committed, totals.budget_left) == (
        Decimal("800000.00"),
        Decimal("250000.00"),
        Decimal("550000.00"),
    )
    assert (totals.applications, totals.approved) == (6, 3)
    assert totals.requested_sum == Decimal("460000.50")
    assert totals.granted_sum == Decimal("275000.25")
    assert totals.by_stage["in_review"] == 1 and totals.by_stage["reclaim"] == 1


async def test_statistics_of_an_unknown_round(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        with pytest.raises(ProblemError) as raised:
            await office.round_statistics(session=session, round_id="no-such-round")
    assert raised.value.status == 404


async def _csv(sessions: async_sessionmaker[AsyncSession], **filters: object) -> list[list[str]]:
    async with sessions() as session:
        text = await office.export_csv(session=session, **filters)  # type: ignore[arg-type]
    assert text.startswith("\ufeff")
    assert "\r\n" in text
    return list(csv.reader(text.removeprefix("\ufeff").splitlines(), delimiter=";"))


async def test_csv_export_and_its_filters(sessions: async_sessionmaker[AsyncSession]) -> None:
    seeded = await _seed(sessions)
    rows = await _csv(sessions, round_id=seeded.id)
    header, body = rows[0], rows[1:]
    assert tuple(header) == office.CSV_COLUMNS
    assert len(body) == 6
    by_id = {r[0]: dict(zip(header, r, strict=True)) for r in body}
    assert set(by_id) == set(seeded.apps.values())
    # ordered by priority number, then organisation
    priority = header.index("priority")
    assert [r[priority] for r in body] == ["coordination"] * 4 + [
        "case_management",
        "refugee_women",
    ]

    reclaim = by_id[seeded.apps["reclaim"]]
    assert reclaim["file_number"] == f"WIR-TEST-{seeded.apps['reclaim'][:8]}"
    assert reclaim["round"] == seeded.id
    assert reclaim["organisation"] == "'=Verein <Miteinander> e.V."  # no formula for Excel
    assert reclaim["applicant_type"] == "independent_org"
    assert reclaim["stage"] == "reclaim"
    assert (reclaim["requested"], reclaim["granted"], reclaim["paid"]) == (
        "30000,50",
        "25000,25",
        "25000,25",
    )
    assert (reclaim["spent"], reclaim["reclaim"], reclaim["repaid"]) == (
        "20000,00",
        "5000,25",
        "2000,00",
    )
    assert reclaim["final_report_due"] == "30.09.2028"
    assert reclaim["report_overdue"] == "true"
    rejected = by_id[seeded.apps["rejected"]]
    assert (rejected["granted"], rejected["spent"], rejected["final_report_due"]) == ("", "", "")
    assert rejected["report_overdue"] == "false"

    def ids(rows: list[list[str]]) -> set[str]:
        return {r[0] for r in rows[1:]}

    apps = seeded.apps
    r = seeded.id
    assert ids(await _csv(sessions, round_id=r, stage="active")) == {apps["active"]}
    assert ids(await _csv(sessions, round_id=r, priority_code="case_management")) == {
        apps["in_review"]
    }
    assert ids(await _csv(sessions, round_id=r, applicant_type="district")) == {
        apps["active"],
        apps["in_review"],
    }
    assert ids(await _csv(sessions, round_id=r, report_overdue=True)) == {apps["reclaim"]}
    assert len(ids(await _csv(sessions, round_id=r, report_overdue=False))) == 5
    assert ids(
        await _csv(sessions, round_id=r, priority_code="coordination", applicant_type="district")
    ) == {apps["active"]}
    assert await _csv(sessions, round_id=r, stage="closed") == [list(office.CSV_COLUMNS)]
    # without a round filter, other rounds' applications are exported too
    assert len(ids(await _csv(sessions))) >= 7


async def test_csv_export_in_the_plain_format(sessions: async_sessionmaker[AsyncSession]) -> None:
    seeded = await _seed(sessions)
    async with sessions() as session:
        text = await office.export_csv(
            session=session, round_id=seeded.id, csv_format=CsvFormat.plain
        )
    assert not text.startswith("\ufeff") and text.startswith("id,")
    rows = list(csv.DictReader(text.splitlines()))
    reclaim = next(r for r in rows if r["id"] == seeded.apps["reclaim"])
    assert (reclaim["requested"], reclaim["repaid"]) == ("30000.50", "2000.00")
    assert reclaim["final_report_due"] == "2028-09-30"
    assert reclaim["organisation"] == "'=Verein <Miteinander> e.V."


@pytest.mark.parametrize(
    "start",
    [
        "=",
        "+",
        "-",
        "@",
        "\t",
        "\r",
        "\n",
        "\u00a0",
        "\ufeff",
        "\uff1d",
        "\uff0b",
        "\uff0d",
        "\uff20",
    ],
)
def test_csv_text_that_a_spreadsheet_may_read_as_a_formula_is_quoted(start: str) -> None:
    assert office._csv_text(f'{start}HYPERLINK("https://example.org")').startswith("'")
    assert office._csv_text(f"Verein {start}1") == f"Verein {start}1"  # only a leading one


async def test_bescheid_for_a_municipal_and_an_association_applicant(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    seeded = await _seed(sessions)
    async with sessions() as session:
        district = await letters.bescheid(session=session, application_id=seeded.apps["active"])
        association = await letters.bescheid(session=session, application_id=seeded.apps["reclaim"])
    assert "Die ANBest-GK (" in district and "ANBest-P" not in district
    assert "Landkreis Kassel" in district
    assert "<strong>140.000,00 EUR</strong>" in district
    assert "WIR-Koordination" in district  # the priority's title from the catalogue
    assert "30.09.2028" in district  # the final report's due date, in the list of reports
    assert "innerhalb von 2 Monaten" in district

    assert "Die ANBest-P (" in association and "ANBest-GK" not in association
    assert "=Verein &lt;Miteinander&gt; e.V." in association
    assert "<Miteinander>" not in association
    assert "<strong>25.000,25 EUR</strong>" in association


@pytest.mark.parametrize(("label", "status"), [("rejected", 409), ("in_review", 409)])
async def test_no_bescheid_without_approval(
    sessions: async_sessionmaker[AsyncSession], label: str, status: int
) -> None:
    seeded = await _seed(sessions)
    async with sessions() as session:
        with pytest.raises(ProblemError) as raised:
            await letters.bescheid(session=session, application_id=seeded.apps[label])
    assert raised.value.status == status


async def test_no_bescheid_for_an_unknown_application(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        with pytest.raises(ProblemError) as raised:
            await letters.bescheid(session=session, application_id="nope")
    assert raised.value.status == 404


async def test_routes_over_http(sessions: async_sessionmaker[AsyncSession]) -> None:
    """The office router in front of a catch-all ``/applications/{application_id}`` route,
    as the service will include it: export.csv must not be taken for an application id."""
    seeded = await _seed(sessions)
    app = FastAPI()
    problems.install(app)
    install_auth(app, WirSettings(auth_key_file=auth.key_file()))
    app.include_router(office_routes.router)
    catch_all = APIRouter()

    @catch_all.get("/applications/{application_id}")
    async def _application(application_id: str) -> dict[str, str]:
        return {"id": application_id}

    app.include_router(catch_all)

    async def _session() -> AsyncIterator[AsyncSession]:
        async with sessions() as session:
            yield session

    app.dependency_overrides[get_session] = _session
    transport = httpx.ASGITransport(app=app)
    officer = auth.headers("petra.officer", Role.programme_officer)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://office", headers=officer
    ) as client:
        exported = await client.get(
            "/applications/export.csv", params={"round": seeded.id, "stage": "active"}
        )
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("text/csv")
        assert exported.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
        assert len(exported.text.strip().splitlines()) == 2
        assert exported.text.splitlines()[0].startswith("\ufeffid;")
        plain = await client.get(
            "/applications/export.csv", params={"round": seeded.id, "format": "plain"}
        )
        assert plain.status_code == 200 and plain.text.startswith("id,")
        unknown = await client.get("/applications/export.csv", params={"format": "xlsx"})
        assert unknown.status_code == 422
        bad = await client.get("/applications/export.csv", params={"stage": "nonsense"})
        assert bad.status_code == 422

        stats = await client.get(f"/rounds/{seeded.id}/statistics")
        assert stats.status_code == 200
        assert stats.json()["totals"]["applications"] == 6
        missing = await client.get("/rounds/no-such-round/statistics")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"

        document = await client.get(f"/applications/{seeded.apps['active']}/bescheid")
        assert document.status_code == 200
        assert document.headers["content-type"].startswith("text/html")
        assert "Zuwendungsbescheid" in document.text
        refused = await client.get(f"/applications/{seeded.apps['rejected']}/bescheid")
        assert refused.status_code == 409
        assert refused.json()["title"] == "No approval"

        bodies = await client.get("/reference/regional-bodies")
        assert len(bodies.json()) == 33
        cities = await client.get(
            "/reference/regional-bodies", params={"applicant_type": "independent_city"}
        )
        assert [b["name"] for b in cities.json()][:2] == ["Darmstadt", "Frankfurt am Main"]
