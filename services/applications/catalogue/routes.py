"""HTTP routes of the catalogue: organisations and funding priorities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from services.applications.access import OFFICE, Configurer, SignedIn
from services.applications.catalogue import queries, service
from services.applications.catalogue.schemas import (
    AddressIn,
    CriteriaIn,
    OrganisationIn,
    OrganisationOut,
    PriorityOut,
    PriorityRuleIn,
)
from shared.auth import Role
from shared.contracts.eligibility import ApplicantType
from shared.deps import IdempotencyKey, SessionDep
from shared.pagination import Page, PageDep
from shared.problems import not_found

router = APIRouter()


@router.post("/organisations", status_code=status.HTTP_201_CREATED, tags=["organisations"])
async def create_organisation(
    body: OrganisationIn,
    session: SessionDep,
    actor: Configurer,
    idempotency_key: IdempotencyKey = None,
) -> OrganisationOut:
    """A name and type that exist already (case and accents aside) are refused with 409
    naming the existing organisation (``existing_id``), unless ``distinct_from`` says this
    is a different body. Repeated with the same Idempotency-Key and body it returns the
    organisation created first."""
    organisation = await service.create_organisation(
        session=session, data=body, actor=actor.user, idempotency_key=idempotency_key
    )
    return OrganisationOut.model_validate(organisation)


@router.get("/organisations", tags=["organisations"])
async def list_organisations(
    session: SessionDep,
    page: PageDep,
    actor: SignedIn,
    applicant_type: ApplicantType | None = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Part of the name; case and accents do not matter"),
    ] = None,
) -> Page[OrganisationOut]:
    """Staff see every organisation; an applicant only their own."""
    only = None if actor.has(*OFFICE, Role.reviewer) else actor.organisation_id or "-"
    rows, total = await queries.list_organisations(
        session=session, page=page, applicant_type=applicant_type, only_id=only, q=q
    )
    items = [OrganisationOut.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/organisations/{organisation_id}", tags=["organisations"])
async def get_organisation(
    organisation_id: str, session: SessionDep, actor: SignedIn
) -> OrganisationOut:
    if not actor.has(*OFFICE, Role.reviewer) and actor.organisation_id != organisation_id:
        raise not_found("organisation", organisation_id)
    organisation = await queries.get_organisation(session=session, organisation_id=organisation_id)
    return OrganisationOut.model_validate(organisation)


@router.put("/organisations/{organisation_id}/address", tags=["organisations"])
async def update_address(
    organisation_id: str, body: AddressIn, session: SessionDep, actor: SignedIn
) -> OrganisationOut:
    """The postal address of the organisation's letters; programme officers and admins
    set any organisation's, an applicant their own (anyone else: 404)."""
    if not actor.has(Role.programme_officer, Role.admin) and not (
        actor.has(Role.applicant) and actor.organisation_id == organisation_id
    ):
        raise not_found("organisation", organisation_id)
    organisation = await service.update_address(
        session=session, organisation_id=organisation_id, address=body
    )
    return OrganisationOut.model_validate(organisation)


@router.get("/priorities", tags=["priorities"])
async def list_priorities(session: SessionDep, _: SignedIn) -> list[PriorityOut]:
    priorities = await queries.list_priorities(session=session)
    return [PriorityOut.model_validate(p) for p in priorities]


@router.get("/priorities/{code}", tags=["priorities"])
async def get_priority(code: str, session: SessionDep, _: SignedIn) -> PriorityOut:
    return PriorityOut.model_validate(await queries.get_priority(session=session, code=code))


@router.put("/priorities/{code}/rule", tags=["priorities"])
async def update_priority_rule(
    code: str, body: PriorityRuleIn, session: SessionDep, actor: Configurer
) -> PriorityOut:
    priority = await service.update_priority_rule(
        session=session, code=code, rule=body.rule, actor=actor.user
    )
    return PriorityOut.model_validate(priority)


@router.put("/priorities/{code}/criteria", tags=["priorities"])
async def update_priority_criteria(
    code: str, body: CriteriaIn, session: SessionDep, actor: Configurer
) -> PriorityOut:
    """The criteria reviewers score applications of this priority against."""
    priority = await service.update_priority_criteria(
        session=session,
        code=code,
        criteria=[c.model_dump() for c in body.criteria],
        actor=actor.user,
    )
    return PriorityOut.model_validate(priority)
