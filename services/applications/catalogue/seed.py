"""The nine funding priorities of the programme description: the catalogue's seed.

The migration that creates the catalogue stores these; from then on the catalogue is data,
changed per funding round (``rounds``) and per priority (``PUT /priorities/{code}/rule``).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from shared.contracts.eligibility import (
    BROAD_CIRCLE,
    MUNICIPAL_BODIES,
    REGIONAL_BODIES,
    ApplicantType,
    EligibilityRule,
)


class FundingPriority(BaseModel):
    number: int = Field(ge=1)
    code: str = Field(pattern=r"^[a-z_]+$")
    title: str
    rule: EligibilityRule


#: The nine priorities of the programme description; the catalogue is seeded from these.
DEFAULT_PRIORITIES: tuple[FundingPriority, ...] = (
    FundingPriority(
        number=1,
        code="coordination",
        title="WIR-Koordination (Integrationsmanagement)",
        rule=EligibilityRule(applicant_types=list(REGIONAL_BODIES)),
    ),
    FundingPriority(
        number=2,
        code="case_management",
        title="WIR-Fallmanagement für Geflüchtete",
        rule=EligibilityRule(applicant_types=list(REGIONAL_BODIES)),
    ),
    FundingPriority(
        number=3,
        code="refugee_women",
        title="Projekte für geflüchtete Frauen",
        rule=EligibilityRule(applicant_types=list(BROAD_CIRCLE)),
    ),
    FundingPriority(
        number=4,
        code="southeast_europe",
        title="Projekte für Zugewanderte aus Südosteuropa",
        rule=EligibilityRule(applicant_types=list(BROAD_CIRCLE)),
    ),
    FundingPriority(
        number=5,
        code="migrant_organisations",
        title="Stärkung von Migrantenorganisationen",
        rule=EligibilityRule(
            applicant_types=[*MUNICIPAL_BODIES, ApplicantType.migrant_org],
            partner_required_for=list(MUNICIPAL_BODIES),
            non_profit_required_for=[ApplicantType.migrant_org],
        ),
    ),
    FundingPriority(
        number=6,
        code="welcome_culture",
        title="Willkommens- und Anerkennungskultur",
        rule=EligibilityRule(applicant_types=list(BROAD_CIRCLE)),
    ),
    FundingPriority(
        number=7,
        code="integration_guides",
        title="Integrationslotsinnen und Integrationslotsen",
        rule=EligibilityRule(applicant_types=list(BROAD_CIRCLE)),
    ),
    FundingPriority(
        number=8,
        code="lay_interpreters",
        title="Sprach- und Kulturmittlung durch Laiendolmetscher",
        rule=EligibilityRule(
            applicant_types=[
                *MUNICIPAL_BODIES,
                ApplicantType.church_org,
                ApplicantType.independent_org,
                ApplicantType.migrant_org,
            ],
            requires_interpreter_pool=True,
        ),
    ),
    FundingPriority(
        number=9,
        code="diversity_strategy",
        title="Vielfaltsstrategie kleinerer Kommunen",
        rule=EligibilityRule(
            applicant_types=[ApplicantType.municipality],
            min_population=10_000,
            max_population=50_000,
        ),
    ),
)
