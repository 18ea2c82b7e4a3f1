"""Activities of the grant application workflow."""

from __future__ import annotations

from pydantic import BaseModel
from temporalio import activity

from shared.contracts.eligibility import (
    ApplicantFacts,
    EligibilityResult,
    EligibilityRule,
    evaluate,
)


class EligibilityCheckInput(BaseModel):
    rule: EligibilityRule
    applicant: ApplicantFacts


@activity.defn(name="check_eligibility")
async def check_eligibility(input: EligibilityCheckInput) -> EligibilityResult:
    """Evaluate the priority's rule. An activity, not workflow code, so that a change to
    the rule engine never alters the replay of an application already decided."""
    return evaluate(input.rule, input.applicant)
