"""The reviewer's pages: the applications assigned to them and the review form with the
round's criteria and their points."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.csrf import CheckedForm
from services.web.deps import ReviewerDep
from services.web.forms import FormErrors
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
    return page(
        request, "pages/review/list.html", title=N_("My reviews"), found=found, base_query=""
    )


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
