"""Which priorities of a round the applicant's organisation may apply for, and why not.

The rule engine is the shared contract's (shared/contracts/eligibility.py), the same one
the applications service checks a submission with; the reasons are said in the reader's
words. The service checks again on submission: this page only spares a doomed attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.web.i18n import N_
from shared.contracts.eligibility import ApplicantFacts, EligibilityRule, evaluate


@dataclass(frozen=True)
class PriorityChoice:
    code: str
    number: int
    title: str
    open: bool
    reasons: list[str]
    needs_partner: bool


def _reasons(rule: EligibilityRule, facts: ApplicantFacts) -> list[str]:
    reasons: list[str] = []
    kind = facts.applicant_type
    if kind not in rule.applicant_types:
        reasons.append(N_("Organisations of your type may not apply under this priority."))
    if kind in rule.non_profit_required_for and not facts.is_non_profit:
        reasons.append(N_("Only non-profit organisations of your type may apply."))
    if rule.requires_interpreter_pool and not facts.runs_interpreter_pool:
        reasons.append(N_("Only organisations that run a pool of lay interpreters may apply."))
    if rule.min_population is not None or rule.max_population is not None:
        population = facts.population
        low, high = rule.min_population, rule.max_population
        if (
            population is None
            or (low is not None and population < low)
            or (high is not None and population > high)
        ):
            reasons.append(N_("The population of your area is outside this priority's range."))
    return reasons


def choices(
    round_: dict[str, Any], priorities: list[dict[str, Any]], organisation: dict[str, Any]
) -> list[PriorityChoice]:
    catalogue = {p["code"]: p for p in priorities}
    facts = ApplicantFacts(
        applicant_type=organisation["applicant_type"],
        population=organisation.get("population"),
        runs_interpreter_pool=bool(organisation.get("runs_interpreter_pool")),
        is_non_profit=bool(organisation.get("is_non_profit")),
        # a partner can still be named in the form: judged without that condition here
        has_migrant_org_partner=True,
    )
    found: list[PriorityChoice] = []
    for budget in round_.get("budgets", []):
        code = budget["priority_code"]
        entry = catalogue.get(code, {"number": 0, "title": code, "rule": None})
        raw_rule = budget.get("rule") or entry.get("rule")
        if raw_rule is None:
            continue
        rule = EligibilityRule.model_validate(raw_rule)
        result = evaluate(rule, facts)
        found.append(
            PriorityChoice(
                code=code,
                number=int(entry["number"]),
                title=str(entry["title"]),
                open=result.eligible,
                reasons=[] if result.eligible else _reasons(rule, facts) or [N_("Not eligible.")],
                needs_partner=facts.applicant_type in rule.partner_required_for,
            )
        )
    return sorted(found, key=lambda c: c.number)
