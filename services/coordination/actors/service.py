"""The network's use cases: search and keep actors, keep and erase their contact persons.

Keyword-only functions; each commits once. Erasing a contact blanks every personal field
and keeps the row, so the contact ids in working groups and events stay resolvable to
"erased".
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.coordination.actors.models import ContactPerson, NetworkActor
from services.coordination.actors.schemas import ActorIn, ContactIn
from services.coordination.creation import CreationKey
from shared.creation import create_once
from shared.pagination import PageParams, fetch_page
from shared.problems import not_found
from shared.search import contains, search_key


def _search_text(data: ActorIn) -> str:
    return search_key(" | ".join([data.name, data.place, *data.topics]))[:2000]


async def get_actor(*, session: AsyncSession, actor_id: str) -> NetworkActor:
    actor = await session.get(NetworkActor, actor_id)
    if actor is None:
        raise not_found("actor", actor_id)
    return actor


async def list_actors(
    *,
    session: AsyncSession,
    page: PageParams,
    q: str | None = None,
    type: str | None = None,
    language: str | None = None,
    topic: str | None = None,
    applicant_organisation_id: str | None = None,
) -> tuple[list[NetworkActor], int]:
    query = select(NetworkActor)
    if q:
        query = query.where(contains(NetworkActor.search_text, q))
    if type:
        query = query.where(NetworkActor.type == type)
    if language:
        # a JSON list of two-letter codes: match the quoted code in its text
        query = query.where(cast(NetworkActor.languages, String).contains(f'"{language}"'))
    if topic:
        query = query.where(contains(NetworkActor.search_text, topic))
    if applicant_organisation_id:
        query = query.where(NetworkActor.applicant_organisation_id == applicant_organisation_id)
    ordered = query.order_by(NetworkActor.name, NetworkActor.id)
    return await fetch_page(session, ordered, page)


async def create_actor(
    *, session: AsyncSession, data: ActorIn, user: str, idempotency_key: str | None
) -> NetworkActor:
    async def create() -> NetworkActor:
        now = datetime.now(UTC)
        actor = NetworkActor(
            id=str(uuid.uuid4()),
            search_text=_search_text(data),
            created_at=now,
            created_by=user,
            updated_at=now,
            updated_by=user,
            **data.model_dump(mode="json"),
        )
        session.add(actor)
        return actor

    return await create_once(
        table=CreationKey,
        session=session,
        kind="actor",
        actor=user,
        idempotency_key=idempotency_key,
        body=data,
        create=create,
        object_id=lambda a: a.id,
        load=lambda actor_id: get_actor(session=session, actor_id=actor_id),
    )


async def update_actor(
    *, session: AsyncSession, actor_id: str, data: ActorIn, user: str
) -> NetworkActor:
    actor = await get_actor(session=session, actor_id=actor_id)
    for field, value in data.model_dump(mode="json").items():
        setattr(actor, field, value)
    actor.search_text = _search_text(data)
    actor.updated_at, actor.updated_by = datetime.now(UTC), user
    await session.commit()
    return actor


async def list_contacts(
    *, session: AsyncSession, actor_id: str, page: PageParams
) -> tuple[list[ContactPerson], int]:
    await get_actor(session=session, actor_id=actor_id)
    query = select(ContactPerson).where(ContactPerson.actor_id == actor_id)
    ordered = query.order_by(ContactPerson.created_at, ContactPerson.id)
    return await fetch_page(session, ordered, page)


async def get_contact(*, session: AsyncSession, actor_id: str, contact_id: str) -> ContactPerson:
    contact = await session.get(ContactPerson, contact_id)
    if contact is None or contact.actor_id != actor_id:
        raise not_found("contact", contact_id)
    return contact


async def add_contact(
    *, session: AsyncSession, actor_id: str, data: ContactIn, user: str
) -> ContactPerson:
    await get_actor(session=session, actor_id=actor_id)
    now = datetime.now(UTC)
    contact = ContactPerson(
        id=str(uuid.uuid4()),
        actor_id=actor_id,
        created_at=now,
        created_by=user,
        updated_at=now,
        erased_at=None,
        erased_by=None,
        **data.model_dump(),
    )
    session.add(contact)
    await session.commit()
    return contact


async def update_contact(
    *, session: AsyncSession, actor_id: str, contact_id: str, data: ContactIn
) -> ContactPerson:
    contact = await get_contact(session=session, actor_id=actor_id, contact_id=contact_id)
    if contact.erased_at is not None:
        raise not_found("contact", contact_id)  # erased: nothing of the person to change
    for field, value in data.model_dump().items():
        setattr(contact, field, value)
    contact.updated_at = datetime.now(UTC)
    await session.commit()
    return contact


async def erase_contact(
    *, session: AsyncSession, actor_id: str, contact_id: str, user: str
) -> ContactPerson:
    """The contact person's data erased on request (GDPR Art. 17); repeating it is a no-op."""
    contact = await get_contact(session=session, actor_id=actor_id, contact_id=contact_id)
    if contact.erased_at is None:
        contact.name = contact.function = contact.email = contact.phone = None
        now = datetime.now(UTC)
        contact.erased_at, contact.erased_by, contact.updated_at = now, user, now
        await session.commit()
    return contact
