"""Eligibility of an applicant for a funding priority, evaluated from rules held as data.

A funding round's catalogue stores one :class:`EligibilityRule` per priority; the rule
engine here is a pure function so that the service, the worker and the tests agree.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ApplicantType(StrEnum):
    district = "district"  # Landkreis
    independent_city = "independent_city"  # kreisfreie Stadt
    special_status_city = "special_status_city"  # Sonderstatusstadt
    municipality = "municipality"  # kreisangehörige Gemeinde
    public_body = "public_body"
    church_org = "church_org"
    independent_org = "independent_org"  # freier Träger
    migrant_org = "migrant_org"  # gemeinnützige Migrantenorganisation


#: The 33 bodies eligible under priorities 1 and 2 are of these three kinds.
REGIONAL_BODIES = (
    ApplicantType.district,
    ApplicantType.independent_city,
    ApplicantType.special_status_city,
)
MUNICIPAL_BODIES = (*REGIONAL_BODIES, ApplicantType.municipality)
BROAD_CIRCLE = (
    *MUNICIPAL_BODIES,
    ApplicantType.public_body,
    ApplicantType.church_org,
    ApplicantType.independent_org,
    ApplicantType.migrant_org,
)


class EligibilityRule(BaseModel):
    """Who may apply under a priority. Every condition that is set must hold."""

    model_config = ConfigDict(frozen=True)

    applicant_types: list[ApplicantType] = Field(min_length=1)
    min_population: int | None = Field(default=None, ge=0)
    max_population: int | None = Field(default=None, ge=0)
    # These applicant types qualify only in cooperation with a non-profit migrant organisation.
    partner_required_for: list[ApplicantType] = Field(default_factory=list)
    requires_interpreter_pool: bool = False
    # These applicant types qualify only as non-profit (gemeinnützig) organisations.
    non_profit_required_for: list[ApplicantType] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> EligibilityRule:
        if (
            self.min_population is not None
            and self.max_population is not None
            and self.min_population > self.max_population
        ):
            raise ValueError("min_population must not exceed max_population")
        return self


class ApplicantFacts(BaseModel):
    """What the rule engine needs to know about an applicant and its application."""

    model_config = ConfigDict(frozen=True)

    applicant_type: ApplicantType
    population: int | None = Field(default=None, ge=0)
    has_migrant_org_partner: bool = False
    runs_interpreter_pool: bool = False
    is_non_profit: bool = False


class EligibilityResult(BaseModel):
    eligible: bool
    reasons: list[str] = Field(default_factory=list)


def evaluate(rule: EligibilityRule, facts: ApplicantFacts) -> EligibilityResult:
    """Check ``facts`` against ``rule``; each unmet condition yields one readable reason."""
    reasons: list[str] = []
    kind = facts.applicant_type
    if kind not in rule.applicant_types:
        allowed = ", ".join(t.value for t in rule.applicant_types)
        reasons.append(f"applicant type {kind.value} is not eligible (eligible: {allowed})")
    if kind in rule.partner_required_for and not facts.has_migrant_org_partner:
        reasons.append(
            f"applicant type {kind.value} is eligible only in cooperation with a "
            "non-profit migrant organisation"
        )
    if kind in rule.non_profit_required_for and not facts.is_non_profit:
        reasons.append(f"applicant type {kind.value} is eligible only as a non-profit organisation")
    if rule.requires_interpreter_pool and not facts.runs_interpreter_pool:
        reasons.append("the applicant must run a pool of lay interpreters")
    if rule.min_population is not None or rule.max_population is not None:
        if facts.population is None:
            reasons.append("the population of the applicant is required for this priority")
        else:
            if rule.min_population is not None and facts.population < rule.min_population:
                reasons.append(
                    f"population {facts.population} is below the minimum of {rule.min_population}"
                )
            if rule.max_population is not None and facts.population > rule.max_population:
                reasons.append(
                    f"population {facts.population} is above the maximum of {rule.max_population}"
                )
    return EligibilityResult(eligible=not reasons, reasons=reasons)
