"""Use cases of the catalogue: applicant organisations and the priorities' rules and criteria."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.models import CreationKey
from services.applications.catalogue.models import FundingPriority, Organisation
from services.applications.catalogue.queries import get_organisation, get_priority
from services.applications.catalogue.regional_bodies import find as find_regional_body
from services.applications.catalogue.schemas import AddressIn, OrganisationIn
from shared.contracts.eligibility import REGIONAL_BODIES, EligibilityRule
from shared.creation import create_once
from shared.problems import ProblemError
from shared.search import search_key


def _now() -> datetime:
    return datetime.now(UTC)


async def create_organisation(
    *, session: AsyncSession, data: OrganisationIn, actor: str, idempotency_key: str | None = None
) -> Organisation:
    """Districts and cities must be one of Hessen's 33 (priorities 1 and 2 name them). A
    second organisation of the same name (folded: case and accents aside) and type is
    refused with 409 naming the first, unless ``distinct_from`` names it. With an
    ``Idempotency-Key`` a repeat returns the organisation created first."""

    async def new() -> Organisation:
        return await _new_organisation(session=session, data=data, actor=actor)

    async def load(organisation_id: str) -> Organisation:
        return await get_organisation(session=session, organisation_id=organisation_id)

    try:
        return await create_once(
            table=CreationKey,
            session=session,
            kind="organisation",
            actor=actor,
            idempotency_key=idempotency_key,
            body=data,
            create=new,
            object_id=lambda organisation: organisation.id,
            load=load,
        )
    except IntegrityError:  # a concurrent request created one of this name first
        await session.rollback()
        existing = await _claim_holder(session=session, data=data)
        if existing is None:
            raise
        raise _duplicate(existing) from None


async def _claim_holder(*, session: AsyncSession, data: OrganisationIn) -> Organisation | None:
    """The organisation that holds the claim of ``data``'s name and type."""
    found: Organisation | None = await session.scalar(
        select(Organisation).where(
            Organisation.applicant_type == data.applicant_type,
            Organisation.name_claim == search_key(data.name),
        )
    )
    return found


def _duplicate(existing: Organisation) -> ProblemError:
    return ProblemError(
        409,
        "Organisation exists",
        f"an organisation named {existing.name!r} of type {existing.applicant_type} exists "
        f"already ({existing.id}); use it, or send distinct_from: {existing.id!r} if this is "
        "a different body of the same name",
        existing_id=existing.id,
        existing_name=existing.name,
    )


async def _name_claim(*, session: AsyncSession, data: OrganisationIn) -> str | None:
    """The claim the new organisation takes: its folded name, or none when the request
    says it is a different body than the organisation of that name it names."""
    key = search_key(data.name)
    if data.distinct_from is None:
        existing = await _claim_holder(session=session, data=data)
        if existing is not None:
            raise _duplicate(existing)
        return key
    other = await session.get(Organisation, data.distinct_from)
    if other is None or other.applicant_type != data.applicant_type or other.name_key != key:
        raise ProblemError(
            422,
            "distinct_from names no organisation of this name",
            f"distinct_from must be the id of an existing organisation named like {data.name!r} "
            f"of type {data.applicant_type.value}; leave it out unless one exists",
        )
    return None


async def _new_organisation(
    *, session: AsyncSession, data: OrganisationIn, actor: str
) -> Organisation:
    if data.applicant_type in REGIONAL_BODIES:
        body = find_regional_body(data.name, data.applicant_type)
        if body is None:
            raise ProblemError(
                422,
                "Unknown district or city",
                f"{data.name!r} is not one of Hessen's {data.applicant_type.value} bodies; "
                "see GET /reference/regional-bodies",
                errors=[
                    {
                        "loc": ["body", "name"],
                        "msg": "not a district or city of this applicant type",
                        "type": "value_error",
                    }
                ],
            )
    claim = await _name_claim(session=session, data=data)
    organisation = Organisation(
        id=str(uuid.uuid4()),
        created_at=_now(),
        created_by=actor,
        name_key=search_key(data.name),
        name_claim=claim,
        **data.model_dump(exclude={"distinct_from"}),
    )
    session.add(organisation)
    return organisation


async def update_address(
    *, session: AsyncSession, organisation_id: str, address: AddressIn
) -> Organisation:
    """Set (or, all fields empty, clear) the postal address letters are sent to. Letters
    issued before keep the address they were issued with."""
    organisation = await get_organisation(session=session, organisation_id=organisation_id)
    for field, value in address.model_dump().items():
        setattr(organisation, field, value)
    await session.commit()
    return organisation


async def update_priority_rule(
    *, session: AsyncSession, code: str, rule: EligibilityRule, actor: str
) -> FundingPriority:
    """Change who may apply under a priority. Applications already submitted keep the rule
    they were checked against (it is part of their workflow input)."""
    priority = await get_priority(session=session, code=code)
    priority.rule = rule.model_dump(mode="json")
    priority.updated_at = _now()
    priority.updated_by = actor
    await session.commit()
    return priority


async def update_priority_criteria(
    *, session: AsyncSession, code: str, criteria: list[dict[str, Any]], actor: str
) -> FundingPriority:
    """The review criteria of a priority; reviews already recorded keep their scores."""
    priority = await get_priority(session=session, code=code)
    codes = [c["code"] for c in criteria]
    if len(set(codes)) != len(codes):
        raise ProblemError(422, "Duplicate criteria", "each criterion code may appear once")
    priority.criteria = criteria
    priority.updated_at = _now()
    priority.updated_by = actor
    await session.commit()
    return priority
