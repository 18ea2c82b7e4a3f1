"""Recipients (e-mail, language, opt-out) and webhooks, managed over HTTP: thin routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from services.notifications.access import Operator
from services.notifications.notices.rules import AddresseeKind
from services.notifications.recipients import service as recipients
from services.notifications.recipients.destinations import DestinationRefused, check_registration
from services.notifications.recipients.schemas import (
    RecipientIn,
    RecipientOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
)
from services.notifications.settings import notification_settings
from shared.deps import SessionDep, SettingsDep
from shared.pagination import Page, PageDep
from shared.problems import ProblemError

router = APIRouter()

Addressee = Annotated[
    str,
    Path(
        max_length=64, description="Organisation id, case manager, offer id, team or staff user id"
    ),
]


@router.put("/recipients/{kind}/{addressee}", tags=["recipients"])
async def put_recipient(
    kind: AddresseeKind, addressee: Addressee, body: RecipientIn, session: SessionDep, _: Operator
) -> RecipientOut:
    """Register or change where an addressee gets e-mail. Opting out mutes everything
    except statutory notices (the Zuwendungsbescheid, a rejection)."""
    found = await recipients.put_recipient(
        session=session, kind=kind, addressee=addressee, data=body
    )
    await session.commit()
    return RecipientOut.model_validate(found)


@router.get("/recipients/{kind}/{addressee}", tags=["recipients"])
async def get_recipient(
    kind: AddresseeKind, addressee: Addressee, session: SessionDep, _: Operator
) -> RecipientOut:
    found = await recipients.get_recipient(session=session, kind=kind, addressee=addressee)
    return RecipientOut.model_validate(found)


@router.get("/recipients", tags=["recipients"])
async def list_recipients(
    session: SessionDep, page: PageDep, _: Operator, kind: AddresseeKind | None = None
) -> Page[RecipientOut]:
    rows, total = await recipients.list_recipients(session=session, page=page, kind=kind)
    items = [RecipientOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/webhooks", status_code=status.HTTP_201_CREATED, tags=["webhooks"])
async def add_webhook(
    body: WebhookIn, session: SessionDep, settings: SettingsDep, actor: Operator
) -> WebhookCreated:
    """Register an endpoint for WIR events; the response shows the signing secret once.
    Only public addresses, unless WIR_WEBHOOK_ALLOW_PRIVATE_NETWORKS is set (422)."""
    allow = notification_settings(settings).webhook_allow_private_networks
    try:
        check_registration(str(body.url), allow_private=allow)
    except DestinationRefused as exc:
        raise ProblemError(422, "Webhook address not allowed", str(exc)) from exc
    hook = await recipients.add_webhook(session=session, data=body, actor=actor.user)
    await session.commit()
    return WebhookCreated.model_validate(hook)


@router.get("/webhooks", tags=["webhooks"])
async def list_webhooks(session: SessionDep, _: Operator) -> list[WebhookOut]:
    return [WebhookOut.model_validate(h) for h in await recipients.list_webhooks(session=session)]


@router.delete("/webhooks/{webhook_id}", tags=["webhooks"])
async def deactivate_webhook(webhook_id: str, session: SessionDep, _: Operator) -> WebhookOut:
    hook = await recipients.deactivate_webhook(session=session, webhook_id=webhook_id)
    await session.commit()
    return WebhookOut.model_validate(hook)
