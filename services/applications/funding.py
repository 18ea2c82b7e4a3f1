"""Use cases of the funding period: Mittelabruf, Änderungsantrag, reports, Rückforderung.

Each sends one Update to the application's workflow (which checks stage and amounts) and
keeps what people wrote (reasons, Sachbericht, actual costs) in this service's tables.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from services.applications import service
from services.applications.models import Application, ApplicationDocument
from services.applications.schemas import (
    ChangeRequestIn,
    FinalReportIn,
    InterimReportIn,
    ReportReviewIn,
)
from shared.contracts.grants import (
    RequestChangeCommand,
    ReviewReportCommand,
    SubmitReportCommand,
)


async def command(
    *,
    session: AsyncSession,
    client: Client,
    application_id: str,
    update: str,
    payload: BaseModel,
    idempotency_key: str | None,
    document: tuple[str, str | None, dict[str, Any]] | None = None,
    actor: str = "",
) -> Application:
    """Send the update; on success keep the document (kind, ref, body) beside it, once
    (stored with the command's idempotency key, see service.send_command)."""
    records = []
    if document is not None:
        kind, ref, body = document
        records.append(
            ApplicationDocument(
                application_id=application_id,
                kind=kind,
                ref=ref,
                body=body,
                created_at=datetime.now(UTC),
                created_by=actor,
            )
        )
    return await service.send_command(
        session=session,
        client=client,
        application_id=application_id,
        update=update,
        command=payload,
        idempotency_key=idempotency_key,
        records=records,
    )


def new_id() -> str:
    return str(uuid.uuid4())


def change_request(actor: str, data: ChangeRequestIn) -> tuple[BaseModel, tuple[str, str, Any]]:
    change_id = new_id()
    payload = RequestChangeCommand(
        actor=actor, change_id=change_id, kind=data.kind, new_period_end=data.new_period_end
    )
    return payload, ("change_request", change_id, data.model_dump(mode="json"))


def interim_report(
    actor: str, number: int, data: InterimReportIn
) -> tuple[BaseModel, tuple[str, str, Any]]:
    payload = SubmitReportCommand(actor=actor, number=number)
    return payload, ("interim_report", str(number), data.model_dump(mode="json"))


def final_report(actor: str, data: FinalReportIn) -> tuple[BaseModel, tuple[str, str, Any]]:
    payload = SubmitReportCommand(actor=actor, number=0, spent_amount=data.spent_amount)
    return payload, ("final_report", "0", data.model_dump(mode="json"))


def report_review(actor: str, data: ReportReviewIn) -> tuple[BaseModel, tuple[str, str, Any]]:
    payload = ReviewReportCommand(
        actor=actor, outcome=data.outcome, reclaim_amount=data.reclaim_amount
    )
    return payload, ("report_review", "0", data.model_dump(mode="json"))
