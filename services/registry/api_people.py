"""Registry HTTP interface: people and their appointments to bodies."""

import uuid

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry import db_people, people
from services.registry.api import PersonIn
from services.registry.domain import Role, is_festival_secretary
from shared.auth import signed_in
from shared.models import StrictModel
from shared.principal import Principal
from shared.refusals import forbidden, not_found


class AppointmentIn(StrictModel):
    person_id: uuid.UUID
    role: Role


class PersonOut(BaseModel):
    id: uuid.UUID
    name: str
    mobile: str | None
    email: str | None
    memberships: list[dict]


def _may_register_people(principal: Principal) -> bool:
    return is_festival_secretary(principal) or any(
        m.kind == "district_secretariat" and m.role == "secretary" for m in principal.memberships)


def build_people_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine."""
    router = APIRouter(tags=["people"])

    @router.post("/people", status_code=201, response_model=PersonOut)
    async def register(body: PersonIn, principal: Principal = Depends(signed_in)) -> PersonOut:
        """Register a person with contact details (festival secretary or a district secretary)."""
        if not _may_register_people(principal):
            raise forbidden()
        async with engine.begin() as conn:
            person_id = await people.register_person(conn, name=body.name, mobile=body.mobile, email=body.email)
            return PersonOut(**await db_people.get_person(conn, person_id=person_id))

    @router.get("/people/{person_id}", response_model=PersonOut)
    async def person(person_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> PersonOut:
        """A person's contact details and memberships (the person, or city-wide staff)."""
        if principal.subject != str(person_id) and not principal.is_city_wide():
            raise not_found("شخص", "Person")
        async with engine.connect() as conn:
            found = await db_people.get_person(conn, person_id=person_id)
        if found is None:
            raise not_found("شخص", "Person")
        return PersonOut(**found)

    @router.get("/bodies/{code}/members")
    async def members(code: str, _: Principal = Depends(signed_in)) -> list[dict]:
        """Who currently sits on a body, with their roles."""
        async with engine.connect() as conn:
            await people.active_body(conn, code)
            return await db_people.body_members(conn, body_code=code)

    @router.post("/bodies/{code}/members", status_code=201)
    async def appoint(code: str, body: AppointmentIn, principal: Principal = Depends(signed_in)) -> dict:
        """Appoint a person (festival secretary: committees and secretariats; district secretary: own district)."""
        async with engine.begin() as conn:
            appointment_id = await people.appoint(conn, principal, person_id=body.person_id, body_code=code,
                                                  role=body.role)
        return {"appointment_id": str(appointment_id)}

    @router.delete("/bodies/{code}/members/{appointment_id}", status_code=204)
    async def remove(code: str, appointment_id: uuid.UUID, principal: Principal = Depends(signed_in)) -> None:
        """End an appointment; the record stays."""
        async with engine.begin() as conn:
            await people.remove(conn, principal, body_code=code, appointment_id=appointment_id)

    return router
