"""Registry HTTP interface: the organisation's bodies, neighbourhoods and organisations."""

from pathlib import Path

from fastapi import APIRouter, Depends
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry import db, db_organisations, db_people, people
from services.registry.db_organisations import STAFF
from services.registry.domain import Body, is_district_secretary, is_festival_secretary
from services.registry.domain_organisations import Organisation, checked
from services.registry.identity import hash_password
from services.registry.structure import load_structure
from shared.auth import member_of, signed_in
from shared.contracts.registry import (
    BodyChanged,
    BodyCreated,
    BodyDeactivated,
    OrganisationChanged,
    OrganisationRegistered,
)
from shared.messaging.outbox import add_events
from shared.models import StrictModel
from shared.persian import normalize_text
from shared.principal import Principal
from shared.refusals import Kind, Refusal, forbidden, not_found

festival_secretary = member_of("festival-secretary", "secretary")


class BodyIn(StrictModel):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    kind: str = Field(min_length=2, max_length=50)
    name_fa: str = Field(min_length=2, max_length=200)
    parent_code: str
    district: int | None = Field(default=None, ge=1, le=22)


class BodyPatch(StrictModel):
    name_fa: str | None = Field(default=None, min_length=2, max_length=200)
    active: bool | None = None


class OrganisationIn(StrictModel):
    code: str
    kind: str
    name_fa: str = Field(min_length=2, max_length=300)
    legal_entity_id: str | None = Field(default=None, max_length=20)
    district: int | None = None
    neighbourhood_code: str | None = None


class OrganisationAccountIn(StrictModel):
    username: str = Field(pattern=r"^[a-z0-9._-]{3,50}$")
    password: str = Field(min_length=10, max_length=200)
    name: str = Field(min_length=2, max_length=200, description="the representative's name")
    mobile: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=200)


class OrganisationPatch(StrictModel):
    name_fa: str | None = Field(default=None, min_length=2, max_length=300)
    neighbourhood_code: str | None = None
    active: bool | None = None


def _may_manage(principal: Principal, district: int | None) -> bool:
    """Festival secretary everywhere; a district secretary inside their district."""
    return is_festival_secretary(principal) or (district is not None and is_district_secretary(principal, district))


async def _store_organisation(conn: AsyncConnection, organisation: Organisation, event_type) -> dict:
    hood_district = None
    if organisation.neighbourhood_code:
        hood = (await db.load_neighbourhoods(conn)).get(organisation.neighbourhood_code)
        hood_district = hood.district if hood else -1
    organisation = checked(organisation, hood_district)
    owner = organisation.legal_entity_id and await db_organisations.legal_id_owner(
        conn, legal_entity_id=organisation.legal_entity_id)
    if owner and owner != organisation.code:
        raise Refusal(Kind.CONFLICT, "legal_entity_id_taken", "این شناسهٔ ملی برای نهاد دیگری ثبت شده است.",
                       "Another organisation has this legal-entity ID.", owner)
    await db_organisations.upsert(conn, organisation=organisation, managed_by=STAFF)
    await add_events(conn, db.outbox, [event_type(**organisation.__dict__)])
    return organisation.__dict__


def build_structure_router(engine: AsyncEngine, *, structure_file: Path) -> APIRouter:
    """Routes bound to this service's engine and structure file."""
    router = APIRouter(tags=["structure"])

    @router.get("/bodies")
    async def bodies(district: int | None = None) -> list[dict]:
        """The festival's bodies, optionally of one district."""
        async with engine.connect() as conn:
            return await db.list_bodies(conn, district=district)

    @router.post("/bodies", status_code=201, dependencies=[Depends(festival_secretary)])
    async def add_body(body: BodyIn) -> dict:
        """Add a body under an existing one (festival secretary); the structure file's reload leaves it alone."""
        async with engine.begin() as conn:
            stored = await db.load_bodies(conn)
            if body.code in stored:
                raise Refusal(Kind.CONFLICT, "body_exists", "نهادی با این شناسه هست.", "A body with this code exists.")
            if body.parent_code not in stored or not stored[body.parent_code].active:
                raise not_found("نهاد بالادست", "Parent body")
            event = BodyCreated(**{**body.model_dump(), "name_fa": normalize_text(body.name_fa)})
            await db.apply_structure_events(conn, events=[event], managed_by=STAFF)
            await add_events(conn, db.outbox, [event])
        return event.model_dump(mode="json", exclude={"event_id", "occurred_at", "schema_version"})

    @router.patch("/bodies/{code}", dependencies=[Depends(festival_secretary)])
    async def change_body(code: str, patch: BodyPatch) -> dict:
        """Rename or (de)activate a body (festival secretary)."""
        async with engine.begin() as conn:
            stored = (await db.load_bodies(conn)).get(code)
            if stored is None:
                raise not_found("نهاد", "Body")
            changed = Body(**{**stored.__dict__, **patch.model_dump(exclude_none=True)})
            kind = BodyDeactivated if stored.active and not changed.active else BodyChanged
            event = kind(**{**changed.__dict__, "name_fa": normalize_text(changed.name_fa)})
            await db.apply_structure_events(conn, events=[event], managed_by=STAFF)
            await add_events(conn, db.outbox, [event])
        return event.model_dump(mode="json", exclude={"event_id", "occurred_at", "schema_version"})

    @router.get("/neighbourhoods")
    async def neighbourhoods(district: int | None = None) -> list[dict]:
        """Neighbourhoods, optionally of one district."""
        async with engine.connect() as conn:
            return await db.list_neighbourhoods(conn, district=district)

    @router.post("/structure/reload")
    async def reload_structure(_: Principal = Depends(festival_secretary)) -> dict[str, int]:
        """Reload the structure file; returns how many events each kind of change produced."""
        return await load_structure(engine, structure_file)

    @router.get("/organisations")
    async def organisations(district: int | None = None, kind: str | None = None) -> list[dict]:
        """Local institutions and partner organisations."""
        async with engine.connect() as conn:
            return await db_organisations.listing(conn, district=district, kind=kind)

    @router.post("/organisations", status_code=201)
    async def register(body: OrganisationIn, principal: Principal = Depends(signed_in)) -> dict:
        """Register an organisation (festival secretary, or a district secretary for their district)."""
        if not _may_manage(principal, body.district):
            raise forbidden()
        async with engine.begin() as conn:
            if body.code in await db_organisations.load(conn):
                raise Refusal(Kind.CONFLICT, "organisation_exists", "نهادی با این شناسه هست.",
                               "An organisation with this code exists.")
            return await _store_organisation(conn, Organisation(**body.model_dump()), OrganisationRegistered)

    @router.post("/organisations/{code}/accounts", status_code=201)
    async def organisation_account(code: str, body: OrganisationAccountIn,
                                   principal: Principal = Depends(signed_in)) -> dict:
        """An account for an organisation's representative, so it submits its own works."""
        async with engine.begin() as conn:
            organisation = (await db_organisations.load(conn)).get(code)
            if organisation is None or not organisation.active:
                raise not_found("نهاد", "Organisation")
            if not _may_manage(principal, organisation.district):
                raise forbidden()
            if await db_people.username_taken(conn, username=body.username):
                raise Refusal(Kind.CONFLICT, "username_taken", "این نام کاربری قبلاً ثبت شده است.",
                               "This username is already taken.")
            person_id = await people.register_person(conn, name=body.name, mobile=body.mobile, email=body.email)
            account_id = await db_people.create_account(conn, username=body.username, person_id=person_id,
                                                        password_hash=hash_password(body.password),
                                                        organisation_code=code)
        return {"id": str(account_id), "username": body.username, "person_id": str(person_id), "organisation": code}

    @router.patch("/organisations/{code}")
    async def change(code: str, patch: OrganisationPatch, principal: Principal = Depends(signed_in)) -> dict:
        """Rename, move or (de)activate an organisation."""
        async with engine.begin() as conn:
            stored = (await db_organisations.load(conn)).get(code)
            if stored is None:
                raise not_found("نهاد", "Organisation")
            if not _may_manage(principal, stored.district):
                raise forbidden()
            changed = Organisation(**{**stored.__dict__, **patch.model_dump(exclude_unset=True)})
            return await _store_organisation(conn, changed, OrganisationChanged)

    return router
