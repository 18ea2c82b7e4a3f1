"""Who holds a case and whether it is open: share with a colleague, hand over, close with
a reason, reopen. The API decides who may (only the holder shares and hands over)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.web.csrf import CheckedForm
from services.web.deps import CaseManagerDep
from services.web.i18n import N_
from services.web.pages.cases import case_command

router = APIRouter()
CLOSURE_REASONS = ("placed", "moved_away", "consent_withdrawn", "no_contact", "other")


@router.post("/cases/{ident}/share")
async def share(request: Request, ident: str, view: CaseManagerDep, form: CheckedForm) -> Response:
    colleague = str(form.get("share_with", "")).strip()
    return await case_command(
        request, view, ident, name="share", path="/shares", body={"case_manager": colleague},
        done=N_("The case is shared."), fields=("share_with",),
    )  # fmt: skip


@router.post("/cases/{ident}/transfer")
async def transfer(
    request: Request, ident: str, view: CaseManagerDep, form: CheckedForm
) -> Response:
    colleague = str(form.get("transfer_to", "")).strip()
    return await case_command(
        request, view, ident, name="transfer", path="/transfer",
        body={"case_manager": colleague}, done=N_("The case is handed over."),
        fields=("transfer_to",),
    )  # fmt: skip


@router.post("/cases/{ident}/close")
async def close(request: Request, ident: str, view: CaseManagerDep, form: CheckedForm) -> Response:
    reason = str(form.get("closure_reason", ""))
    return await case_command(
        request, view, ident, name="closure", path="/closure",
        body={"reason": reason if reason in CLOSURE_REASONS else ""},
        done=N_("The case is closed."), fields=("closure_reason",),
    )  # fmt: skip


@router.post("/cases/{ident}/reopen")
async def reopen(request: Request, ident: str, view: CaseManagerDep, form: CheckedForm) -> Response:
    return await case_command(
        request, view, ident, name="reopen", path="/reopen", body={},
        done=N_("The case is reopened."),
    )  # fmt: skip
