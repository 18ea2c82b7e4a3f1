"""The delivery log over HTTP, and re-sending a failed delivery: thin routes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from services.notifications.access import Operator
from services.notifications.deliveries import service as deliveries
from services.notifications.deliveries.schemas import DeliveryOut
from services.notifications.settings import notification_settings
from shared.deps import RuntimeDep, SessionDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["delivery log"])


@router.get("/deliveries")
async def list_deliveries(
    session: SessionDep,
    page: PageDep,
    _: Operator,
    recipient: Annotated[
        str | None, Query(max_length=64, description="Addressee, or 'webhook'")
    ] = None,
    event_id: Annotated[str | None, Query(max_length=64)] = None,
    event_type: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["pending", "sent", "failed", "suppressed", "cancelled"] | None = None,
    channel: Literal["email", "webhook"] | None = None,
) -> Page[DeliveryOut]:
    """Newest first."""
    rows, total = await deliveries.list_deliveries(
        session=session,
        page=page,
        recipient=recipient,
        event_id=event_id,
        event_type=event_type,
        status=status,
        channel=channel,
    )
    items = [DeliveryOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/deliveries/{delivery_id}")
async def get_delivery(delivery_id: str, session: SessionDep, _: Operator) -> DeliveryOut:
    found = await deliveries.get_delivery(session=session, delivery_id=delivery_id)
    return DeliveryOut.model_validate(found)


@router.post("/deliveries/{delivery_id}/resend")
async def resend(
    delivery_id: str, session: SessionDep, runtime: RuntimeDep, actor: Operator
) -> DeliveryOut:
    """Staff: send a failed delivery again (409 unless it failed)."""
    found = await deliveries.resend(
        session=session,
        delivery_id=delivery_id,
        actor=actor.user,
        settings=notification_settings(runtime.settings),
        now=datetime.now(UTC),
    )
    await session.commit()
    return DeliveryOut.model_validate(found)
