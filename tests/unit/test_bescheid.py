"""The Zuwendungsbescheid from plain rows (not stored): Nebenbestimmungen, amounts, escaping."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from services.applications.applications.models import Application
from services.applications.catalogue.models import Organisation
from services.applications.office.bescheid import (
    euro,
    german_date,
    nebenbestimmungen,
    render_bescheid,
)
from services.applications.rounds.models import FundingRound
from shared.contracts.eligibility import ApplicantType
from shared.contracts.grants import Deadlines

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def _organisation(applicant_type: str, name: str = "Landkreis Waldeck-Frankenberg") -> Organisation:
    return Organisation(
        id="org-1", name=name, applicant_type=applicant_type, created_at=NOW, created_by="t"
    )


def _round() -> FundingRound:
    return FundingRound(
        id="2027",
        title="Förderrunde 2027",
        status="open",
        submission_opens_at=NOW,
        submission_closes_at=NOW,
        period_earliest_start=date(2027, 1, 1),
        period_latest_end=date(2028, 12, 31),
        deadlines=Deadlines().model_dump(),
        funds_use_months=2,
        created_at=NOW,
        created_by="t",
    )


def _application(**changes: object) -> Application:
    values: dict[str, object] = dict(
        id="a-1",
        organisation_id="org-1",
        priority_code="coordination",
        round_id="2027",
        title="WIR-Koordination",
        description="",
        target_group="Zugewanderte im Landkreis",
        place="Korbach",
        funding_period_start=date(2027, 4, 1),
        funding_period_end=date(2028, 3, 31),
        cost_lines=[
            {"category": "personnel", "description": "Koordinatorin 1,0 VZÄ", "amount": "120000"},
            {"category": "material", "description": "Sachkosten", "amount": "17500.50"},
        ],
        own_contribution=Decimal("27500.50"),
        third_party_contribution=Decimal("0"),
        requested_amount=Decimal("110000"),
        revision=2,
        stage="approved",
        granted_amount=Decimal("110000"),
        decided_by="approver.b",
        decided_at=datetime(2027, 3, 15, 23, 30, tzinfo=UTC),  # 16.03. in Hessen
        final_report_due_at=datetime(2028, 9, 30, 21, 59, 59, tzinfo=UTC),
        created_at=NOW,
        created_by="t",
    )
    values.update(changes)
    return Application(**values)


def _render(organisation: Organisation, application: Application | None = None) -> str:
    return render_bescheid(
        application=application or _application(),
        organisation=organisation,
        round_=_round(),
        priority_title="WIR-Koordination (Integrationsmanagement)",
        deadlines=Deadlines(),
        reports=[
            (1, datetime(2028, 6, 30, 21, 59, 59, tzinfo=UTC)),
            (0, datetime(2028, 9, 30, 21, 59, 59, tzinfo=UTC)),
        ],
    )


def test_money_and_dates_in_german_format() -> None:
    assert euro(Decimal("110000")) == "110.000,00 EUR"
    assert euro(Decimal("1234567.5")) == "1.234.567,50 EUR"
    assert euro(Decimal("0.5")) == "0,50 EUR"
    assert german_date(date(2027, 4, 1)) == "01.04.2027"
    assert german_date(datetime(2027, 12, 31, 23, 30, tzinfo=UTC)) == "01.01.2028"


@pytest.mark.parametrize(
    ("applicant_type", "short"),
    [
        (ApplicantType.district, "ANBest-GK"),
        (ApplicantType.independent_city, "ANBest-GK"),
        (ApplicantType.special_status_city, "ANBest-GK"),
        (ApplicantType.municipality, "ANBest-GK"),
        (ApplicantType.public_body, "ANBest-P"),
        (ApplicantType.church_org, "ANBest-P"),
        (ApplicantType.independent_org, "ANBest-P"),
        (ApplicantType.migrant_org, "ANBest-P"),
    ],
)
def test_nebenbestimmungen_follow_the_applicant_type(applicant_type: str, short: str) -> None:
    assert nebenbestimmungen(applicant_type)[0] == short
    document = _render(_organisation(applicant_type))
    other = "ANBest-P" if short == "ANBest-GK" else "ANBest-GK"
    assert f"Die {short} (Allgemeine Nebenbestimmungen" in document
    assert other not in document


def test_municipal_bescheid() -> None:
    document = _render(_organisation(ApplicantType.district))
    assert document.startswith("<!DOCTYPE html>")
    assert document.rstrip().endswith("</html>")
    assert "Zuwendungen zur Projektförderung an Gemeinden und Gemeindeverbände" in document
    assert "Hessisches Ministerium für Soziales und Integration" in document
    assert "Aktenzeichen:</td><td>a-1" in document
    assert "<strong>110.000,00 EUR</strong>" in document
    assert "Anteilfinanzierung" in document and "Projektförderung" in document
    assert "vom 01.04.2027 bis zum 31.03.2028" in document
    # cost plan: lines, total and the share of the grant in it
    assert "Personalausgaben" in document and "120.000,00 EUR" in document
    assert "17.500,50 EUR" in document and "137.500,50 EUR" in document
    assert "80,00 %" in document
    assert "27.500,50 EUR" in document  # own contribution
    # duties and dates
    assert "innerhalb von 2 Monaten" in document
    assert "Zwischennachweis" in document
    assert "bis zum 30.09.2028 vorzulegen" in document
    assert "1. Zwischennachweis</td><td>30.06.2028" in document
    assert "Rückforderung" in document
    assert "Widerspruch" in document and "innerhalb eines Monats" in document
    assert "Datum:</td><td>16.03.2027" in document
    assert "Vergaberecht" in document and "Besserstellungsverbot" not in document


def test_association_bescheid() -> None:
    document = _render(_organisation(ApplicantType.independent_org, "Verein Miteinander e.V."))
    assert "Die ANBest-P (Allgemeine Nebenbestimmungen für Zuwendungen zur" in document
    assert "Gemeinden und Gemeindeverbände" not in document
    assert "Besserstellungsverbot" in document
    assert "Verein Miteinander e.V." in document


def test_without_report_list_the_final_report_of_the_application_is_shown() -> None:
    document = render_bescheid(
        application=_application(),
        organisation=_organisation(ApplicantType.municipality),
        round_=_round(),
        priority_title="x",
        deadlines=Deadlines(interim_reports=False),
        reports=None,
    )
    assert "Verwendungsnachweis (Sachbericht und zahlenmäßiger Nachweis)</td><td>30.09.2028" in (
        document
    )
    assert "Zwischennachweis" not in document


def test_every_value_is_escaped() -> None:
    evil = '<script>alert("x")</script> & Co'
    application = _application(
        title="<b>Projekt</b>",
        place="<img src=x onerror=alert(1)>",
        cost_lines=[{"category": "<i>", "description": "</td><script>", "amount": "<1>"}],
        decided_by="<u>",
    )
    document = _render(_organisation(ApplicantType.independent_org, evil), application)
    assert "<script>" not in document
    assert "<img" not in document and "<b>Projekt" not in document and "<u>" not in document
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in document
    assert "&lt;1&gt;" in document  # an unreadable amount is shown, escaped, not summed


def test_refuses_an_application_without_grant() -> None:
    with pytest.raises(ValueError, match="no granted amount"):
        _render(_organisation(ApplicantType.district), _application(granted_amount=None))
