"""Reports of the funding period: the applicant's interim reports (Zwischennachweis) and
final report (Verwendungsnachweis), and the programme office's review of the final report
(accept, ask for corrections, or reclaim an amount) and the repayment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.csrf import CheckedForm
from services.web.deps import ApplicantDep, OfficerDep
from services.web.forms import FormErrors
from services.web.i18n import N_, parse_amount
from services.web.pages.application import command

router = APIRouter()
OUTCOMES = ("accept", "request_corrections", "reclaim")


@router.post("/applications/{application_id}/interim-report")
async def interim_report(
    request: Request, application_id: str, view: ApplicantDep, form: CheckedForm
) -> Response:
    year = str(form.get("report_year", "")).strip()
    summary = str(form.get("interim_summary", "")).strip()
    errors = FormErrors()
    if not year.isdigit():
        errors.add("report_year", N_("Enter the number of the funding year, e.g. 1."))
    if not summary:
        errors.add("interim_summary", N_("Please fill in this field."))
    return await command(
        request, view, application_id, name="interim", path=f"/interim-reports/{year or 0}",
        body={"summary": summary}, done=N_("The interim report is submitted."),
        kept={"report_year": year, "interim_summary": summary},
        fields=("interim_summary",), errors=errors,
    )  # fmt: skip


@router.post("/applications/{application_id}/final-report")
async def final_report(
    request: Request, application_id: str, view: ApplicantDep, form: CheckedForm
) -> Response:
    typed = str(form.get("spent_amount", ""))
    summary = str(form.get("final_summary", "")).strip()
    spent = parse_amount(typed, view.language)
    errors = FormErrors()
    if spent is None:
        errors.add("spent_amount", N_("Enter an amount, for example 1234,56."))
    return await command(
        request, view, application_id, name="final", path="/final-report",
        body={"spent_amount": str(spent), "summary": summary},
        done=N_("The final report is submitted."),
        kept={"spent_amount": typed, "final_summary": summary},
        fields=("spent_amount",), errors=errors,
    )  # fmt: skip


@router.post("/applications/{application_id}/final-report/review")
async def review_final_report(
    request: Request, application_id: str, view: OfficerDep, form: CheckedForm
) -> Response:
    outcome = str(form.get("outcome", ""))
    typed = str(form.get("reclaim_amount", ""))
    reason = str(form.get("report_reason", "")).strip()
    errors = FormErrors()
    body: dict[str, Any] = {"outcome": outcome}
    if outcome not in OUTCOMES:
        errors.add("outcome", N_("Choose one of the options."))
    if outcome == "reclaim":
        amount = parse_amount(typed, view.language)
        if amount is None:
            errors.add("reclaim_amount", N_("Enter an amount, for example 1234,56."))
        body["reclaim_amount"] = str(amount)
    if reason:
        body["reason"] = reason
    return await command(
        request, view, application_id, name="report-review", path="/final-report/review",
        body=body, done=N_("The review of the final report is recorded."),
        kept={"outcome": outcome, "reclaim_amount": typed, "report_reason": reason},
        fields=("outcome", "reclaim_amount"), errors=errors,
    )  # fmt: skip


@router.post("/applications/{application_id}/repayments")
async def record_repayment(
    request: Request, application_id: str, view: OfficerDep, form: CheckedForm
) -> Response:
    typed = str(form.get("repaid_amount", ""))
    amount = parse_amount(typed, view.language)
    errors = FormErrors()
    if amount is None:
        errors.add("repaid_amount", N_("Enter an amount, for example 1234,56."))
    return await command(
        request, view, application_id, name="repayment", path="/repayments",
        body={"amount": str(amount)}, done=N_("The repayment is recorded."),
        kept={"repaid_amount": typed}, fields=("repaid_amount",), errors=errors,
    )  # fmt: skip
