"""Eligibility rules of the nine funding priorities, including their edges."""

from __future__ import annotations

import pytest

from services.applications.catalogue.seed import DEFAULT_PRIORITIES
from shared.contracts.eligibility import (
    ApplicantFacts,
    ApplicantType,
    EligibilityRule,
    evaluate,
)

T = ApplicantType
RULES = {p.code: p.rule for p in DEFAULT_PRIORITIES}
REGIONAL = {T.district, T.independent_city, T.special_status_city}
BROAD = set(T)


def eligible(code: str, kind: ApplicantType, **facts: object) -> bool:
    return evaluate(RULES[code], ApplicantFacts(applicant_type=kind, **facts)).eligible


def test_catalogue_has_the_nine_priorities_in_order() -> None:
    assert [p.number for p in DEFAULT_PRIORITIES] == list(range(1, 10))
    assert list(RULES) == [
        "coordination",
        "case_management",
        "refugee_women",
        "southeast_europe",
        "migrant_organisations",
        "welcome_culture",
        "integration_guides",
        "lay_interpreters",
        "diversity_strategy",
    ]


@pytest.mark.parametrize("code", ["coordination", "case_management"])
@pytest.mark.parametrize("kind", list(T))
def test_priorities_1_and_2_only_for_the_33_regional_bodies(code: str, kind: ApplicantType) -> None:
    assert eligible(code, kind) == (kind in REGIONAL)


@pytest.mark.parametrize(
    "code", ["refugee_women", "southeast_europe", "welcome_culture", "integration_guides"]
)
@pytest.mark.parametrize("kind", list(T))
def test_priorities_3_4_6_7_open_to_the_broad_circle(code: str, kind: ApplicantType) -> None:
    assert eligible(code, kind) == (kind in BROAD)


def test_priority_5_migrant_org_needs_no_partner() -> None:
    assert eligible("migrant_organisations", T.migrant_org, is_non_profit=True)


def test_priority_5_only_for_non_profit_migrant_orgs() -> None:
    """The programme funds non-profit (gemeinnützige) migrant organisations."""
    facts = ApplicantFacts(applicant_type=T.migrant_org, is_non_profit=False)
    result = evaluate(RULES["migrant_organisations"], facts)
    assert not result.eligible
    assert result.reasons == [
        "applicant type migrant_org is eligible only as a non-profit organisation"
    ]
    # a municipal body with a partner is not asked to be non-profit
    assert eligible("migrant_organisations", T.district, has_migrant_org_partner=True)


def test_a_rule_without_the_flag_reads_as_before() -> None:
    """Rules stored before the flag existed (and running workflows' inputs) still load."""
    rule = EligibilityRule.model_validate({"applicant_types": ["migrant_org"]})
    assert rule.non_profit_required_for == []
    assert evaluate(rule, ApplicantFacts(applicant_type=T.migrant_org)).eligible


@pytest.mark.parametrize(
    "kind", [T.municipality, T.district, T.independent_city, T.special_status_city]
)
def test_priority_5_municipal_body_only_with_migrant_org_partner(kind: ApplicantType) -> None:
    assert not eligible("migrant_organisations", kind)
    assert eligible("migrant_organisations", kind, has_migrant_org_partner=True)
    reasons = evaluate(RULES["migrant_organisations"], ApplicantFacts(applicant_type=kind)).reasons
    assert reasons == [
        f"applicant type {kind.value} is eligible only in cooperation with a non-profit "
        "migrant organisation"
    ]


@pytest.mark.parametrize("kind", [T.church_org, T.independent_org, T.public_body])
def test_priority_5_closed_to_other_bodies(kind: ApplicantType) -> None:
    assert not eligible("migrant_organisations", kind, has_migrant_org_partner=True)


@pytest.mark.parametrize(
    "kind", [T.municipality, T.district, T.independent_org, T.migrant_org, T.church_org]
)
def test_priority_8_needs_a_lay_interpreter_pool(kind: ApplicantType) -> None:
    assert not eligible("lay_interpreters", kind)
    assert eligible("lay_interpreters", kind, runs_interpreter_pool=True)


def test_priority_8_closed_to_public_bodies_even_with_pool() -> None:
    assert not eligible("lay_interpreters", T.public_body, runs_interpreter_pool=True)


@pytest.mark.parametrize(
    ("population", "expected"),
    [(9_999, False), (10_000, True), (30_000, True), (50_000, True), (50_001, False)],
)
def test_priority_9_population_edges(population: int, expected: bool) -> None:
    assert eligible("diversity_strategy", T.municipality, population=population) is expected


def test_priority_9_reasons_name_the_limit() -> None:
    rule = RULES["diversity_strategy"]
    low = evaluate(rule, ApplicantFacts(applicant_type=T.municipality, population=9_999))
    high = evaluate(rule, ApplicantFacts(applicant_type=T.municipality, population=50_001))
    missing = evaluate(rule, ApplicantFacts(applicant_type=T.municipality))
    assert low.reasons == ["population 9999 is below the minimum of 10000"]
    assert high.reasons == ["population 50001 is above the maximum of 50000"]
    assert missing.reasons == ["the population of the applicant is required for this priority"]


def test_priority_9_only_for_municipalities() -> None:
    assert not eligible("diversity_strategy", T.district, population=30_000)


def test_every_unmet_condition_is_reported() -> None:
    result = evaluate(
        RULES["diversity_strategy"], ApplicantFacts(applicant_type=T.church_org, population=1)
    )
    assert not result.eligible
    assert len(result.reasons) == 2


def test_rule_with_inverted_population_range_is_refused() -> None:
    with pytest.raises(ValueError, match="min_population must not exceed max_population"):
        EligibilityRule(applicant_types=[T.municipality], min_population=10, max_population=5)
