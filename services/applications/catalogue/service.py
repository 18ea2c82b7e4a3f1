"""Use cases of the catalogue: applicant organisations and the priorities' rules and criteria."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.applications.applications.creation import create_once
from services.applications.catalogue.models import FundingPriority, Organisation
from services.applications.catalogue.queries import get_organisation, get_priority
from services.applications.catalogue.regional_bodies import find as find_regional_body
from services.applications.catalogue.schemas import AddressIn, OrganisationIn
from shared.contracts.eligibility import REGIONAL_BODIES, EligibilityRule
from shared.problems import ProblemError


def _now() -> datetime:
    return datetime.now(UTC)


async def create_organisation(
    *, session: AsyncSession, data: OrganisationIn, actor: str, idempotency_key: str | None = None
) -> Organisation:
    """Districts and cities must be one of Hessen's 33 (priorities 1 and 2 name them). With
    an ``Idempotency-Key`` a repeat returns the organisation created first."""

    async def new() -> Organisation:
        return _new_organisation(session=session, data=data, actor=actor)

    async def load(organisation_id: str) -> Organisation:
        return await get_organisation(session=session, organisation_id=organisation_id)

    return await create_once(
        session=session,
        kind="organisation",
        actor=actor,
        idempotency_key=idempotency_key,
        body=data,
        create=new,
        object_id=lambda organisation: organisation.id,
        load=load,
    )


def _new_organisation(*, session: AsyncSession, data: OrganisationIn, actor: str) -> Organisation:
    if data.applicant_type in REGIONAL_BODIES:
        body = find_regional_body(data.name, data.applicant_type)
        if body is None:
            raise ProblemError(
                422,
                "Unknown district or city",
                f"{data.name!r} is not one of Hessen's {data.applicant_type.value} bodies; "
                "see GET /reference/regional-bodies",
            )
    organisation = Organisation(
        id=str(uuid.uuid4()), created_at=_now(), created_by=actor, **data.model_dump()
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
