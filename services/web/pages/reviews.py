"""The reviewer's pages: the applications assigned to them and the review form with the
round's criteria and their points."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.api import ApiError
from services.web.csrf import CheckedForm
from services.web.deps import ReviewerDep
from services.web.forms import FORM, FormErrors, from_problem
from services.web.i18n import N_
from services.web.labels import DECISIONS
from services.web.pages.application import command
from services.web.pages.listing import PAGE_SIZE, offset_of
from services.web.render import page

router = APIRouter()


@router.get("/reviews")
async def my_reviews(request: Request, view: ReviewerDep) -> Response:
    found = await view.api.get(
        "applications",
        "/applications",
        {"limit": PAGE_SIZE, "offset": offset_of(request.query_params.get("offset"))},
    )
    return await _reviews(request, view, found, FormErrors(), {})


async def _reviews(
    request: Request, view: ReviewerDep, found: Any, errors: FormErrors, kept: dict[str, str]
) -> Response:
    me = view.web.user or "-"
    conflicts = await view.api.get("applications", f"/reviewers/{me}/conflicts")
    return page(
        request, "pages/review/list.html", status_code=422 if errors else 200,
        title=N_("My reviews"), found=found, base_query="", conflicts=conflicts,
        errors=errors, kept=kept,
    )  # fmt: skip


@router.post("/reviews/conflicts")
async def declare_conflict(request: Request, view: ReviewerDep, form: CheckedForm) -> Response:
    kept = {k: str(form.get(k, "")).strip() for k in ("organisation_id", "conflict_reason")}
    body = {"organisation_id": kept["organisation_id"], "reason": kept["conflict_reason"]}
    try:
        await view.api.post("applications", f"/reviewers/{view.web.user}/conflicts", body)
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        problem = [
            {**e, "loc": [p if p != "reason" else "conflict_reason" for p in e.get("loc", [])]}
            for e in exc.errors
        ]
        errors = from_problem(problem, ("organisation_id", "conflict_reason"))
        if not errors:
            errors.add(FORM, exc.detail)
        found = await view.api.get("applications", "/applications", {"limit": PAGE_SIZE})
        return await _reviews(request, view, found, errors, kept)
    return view.redirect("/reviews", flash=N_("The conflict of interest is declared."))


@router.post("/applications/{application_id}/review")
async def record_review(
    request: Request, application_id: str, view: ReviewerDep, form: CheckedForm
) -> Response:
    errors = FormErrors()
    scores: dict[str, int] = {}
    kept: dict[str, str] = {}
    for key, value in form.multi_items():
        if key.startswith("score-"):
            code = key.removeprefix("score-")
            kept[key] = str(value)
            if str(value).strip().isdigit():
                scores[code] = int(str(value))
            else:
                errors.add(key, N_("Enter the points as a whole number."))
    recommendation = str(form.get("recommendation", ""))
    if recommendation not in DECISIONS:
        errors.add("recommendation", N_("Choose a recommendation."))
    comment = str(form.get("comment", ""))
    kept |= {"recommendation": recommendation, "comment": comment}
    body: dict[str, Any] = {"scores": scores, "comment": comment, "recommendation": recommendation}
    return await command(
        request, view, application_id, name="review", path="/review", body=body,
        done=N_("Your review is recorded."), kept=kept,
        fields=("comment", "recommendation", *kept), errors=errors,
    )  # fmt: skip
