"""HTTP routes of the network: actors kept by the coordination office, read by case
managers too; contact persons' data is an audited read of personal data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from services.coordination.access import Coordinator, NetworkReader
from services.coordination.actors import service
from services.coordination.actors.schemas import (
    ActorIn,
    ActorOut,
    ActorType,
    ContactIn,
    ContactOut,
)
from shared.audit import PersonalDataRead
from shared.contracts.coordination import ID_PATTERN
from shared.deps import IdempotencyKey, SessionDep
from shared.pagination import Page, PageDep

router = APIRouter(tags=["actors"])


@router.get("/actors")
async def list_actors(
    session: SessionDep,
    page: PageDep,
    _: NetworkReader,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Part of name, place or a topic"),
    ] = None,
    type: ActorType | None = None,
    language: Annotated[str | None, Query(pattern=r"^[a-z]{2}$")] = None,
    topic: Annotated[str | None, Query(min_length=1, max_length=60)] = None,
    applicant_organisation_id: Annotated[
        str | None, Query(pattern=ID_PATTERN, max_length=64)
    ] = None,
) -> Page[ActorOut]:
    """Search the network (case and accents do not matter)."""
    rows, total = await service.list_actors(
        session=session,
        page=page,
        q=q,
        type=type,
        language=language,
        topic=topic,
        applicant_organisation_id=applicant_organisation_id,
    )
    items = [ActorOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/actors", status_code=status.HTTP_201_CREATED)
async def create_actor(
    body: ActorIn, session: SessionDep, actor: Coordinator, idempotency_key: IdempotencyKey = None
) -> ActorOut:
    created = await service.create_actor(
        session=session, data=body, user=actor.user, idempotency_key=idempotency_key
    )
    return ActorOut.model_validate(created)


@router.get("/actors/{actor_id}")
async def get_actor(actor_id: str, session: SessionDep, _: NetworkReader) -> ActorOut:
    return ActorOut.model_validate(await service.get_actor(session=session, actor_id=actor_id))


@router.put("/actors/{actor_id}")
async def update_actor(
    actor_id: str, body: ActorIn, session: SessionDep, actor: Coordinator
) -> ActorOut:
    updated = await service.update_actor(
        session=session, actor_id=actor_id, data=body, user=actor.user
    )
    return ActorOut.model_validate(updated)


@router.get("/actors/{actor_id}/contacts", dependencies=[PersonalDataRead])
async def list_contacts(
    actor_id: str, session: SessionDep, page: PageDep, _: NetworkReader
) -> Page[ContactOut]:
    rows, total = await service.list_contacts(session=session, actor_id=actor_id, page=page)
    items = [ContactOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/actors/{actor_id}/contacts", status_code=status.HTTP_201_CREATED)
async def add_contact(
    actor_id: str, body: ContactIn, session: SessionDep, actor: Coordinator
) -> ContactOut:
    contact = await service.add_contact(
        session=session, actor_id=actor_id, data=body, user=actor.user
    )
    return ContactOut.model_validate(contact)


@router.put("/actors/{actor_id}/contacts/{contact_id}")
async def update_contact(
    actor_id: str, contact_id: str, body: ContactIn, session: SessionDep, _: Coordinator
) -> ContactOut:
    contact = await service.update_contact(
        session=session, actor_id=actor_id, contact_id=contact_id, data=body
    )
    return ContactOut.model_validate(contact)


@router.delete("/actors/{actor_id}/contacts/{contact_id}")
async def erase_contact(
    actor_id: str, contact_id: str, session: SessionDep, actor: Coordinator
) -> ContactOut:
    """Erase the contact person's data on request: the id stays, without personal data."""
    contact = await service.erase_contact(
        session=session, actor_id=actor_id, contact_id=contact_id, user=actor.user
    )
    return ContactOut.model_validate(contact)
