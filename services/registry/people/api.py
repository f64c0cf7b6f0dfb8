"""People routes: registering people, reading them, and appointments to bodies."""

import uuid
from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.registry.fields import Line
from services.registry.people import usecases
from services.registry.web import SignedIn
from shared.models import StrictModel
from shared.principal import Role
from shared.web.connection import Reading, Transaction
from shared.web.jalali import JalaliModel

router = APIRouter(tags=["people"])


class PersonIn(StrictModel):
    name: Line = Field(min_length=2, max_length=200)
    mobile: Line | None = Field(default=None, max_length=20)
    email: Line | None = Field(default=None, max_length=200)


class AppointmentIn(StrictModel):
    person_id: uuid.UUID
    role: Role


class MembershipOut(BaseModel):
    appointment_id: uuid.UUID
    body: str
    role: str
    kind: str
    district: int | None


class PersonOut(BaseModel):
    id: uuid.UUID
    name: str
    mobile: str | None
    email: str | None
    memberships: list[MembershipOut]


class MemberOut(JalaliModel):
    appointment_id: uuid.UUID
    role: str
    appointed_at: datetime
    person_id: uuid.UUID
    name: str


class AppointmentOut(BaseModel):
    appointment_id: uuid.UUID


class HandOverIn(StrictModel):
    person_id: uuid.UUID


class HandedOver(AppointmentOut):
    replaced: list[uuid.UUID]


@router.post("/people", status_code=201)
async def register(body: PersonIn, principal: SignedIn, conn: Transaction) -> PersonOut:
    """Register a person with contact details (festival secretary or a district secretary)."""
    return PersonOut(**await usecases.register(conn, principal, name=body.name, mobile=body.mobile,
                                               email=body.email))


@router.get("/people/{person_id}")
async def person(person_id: uuid.UUID, principal: SignedIn, conn: Reading) -> PersonOut:
    """A person's contact details and memberships (the person, or city-wide staff)."""
    return PersonOut(**await usecases.person(conn, principal, person_id))


@router.get("/bodies/{code}/members")
async def members(code: str, principal: SignedIn, conn: Reading) -> list[MemberOut]:
    """Who currently sits on a body, with their roles (city-wide staff, the council and the festival's committees,
    the district's office for its district's bodies, and the body's own members)."""
    return [MemberOut(**row) for row in await usecases.members(conn, principal, code)]


@router.post("/bodies/{code}/members", status_code=201)
async def appoint(code: str, body: AppointmentIn, principal: SignedIn, conn: Transaction) -> AppointmentOut:
    """Appoint a person (festival secretary: committees and secretariats; district secretary: own district)."""
    appointment_id = await usecases.appoint(conn, principal, person_id=body.person_id, body_code=code,
                                            role=body.role.value)
    return AppointmentOut(appointment_id=appointment_id)


@router.delete("/bodies/{code}/members/{appointment_id}", status_code=204)
async def remove(code: str, appointment_id: uuid.UUID, principal: SignedIn, conn: Transaction) -> None:
    """End an appointment; the record stays."""
    await usecases.remove(conn, principal, body_code=code, appointment_id=appointment_id)


@router.put("/bodies/{code}/holders/{role}")
async def hand_over(code: str, role: Role, body: HandOverIn, principal: SignedIn, conn: Transaction) -> HandedOver:
    """Hand a body's chair or secretary role to a person: the previous holder's appointment ends (their tokens are
    revoked) and the person is appointed, at once (the council: the festival secretary; the festival secretary: the
    central secretariat's head)."""
    return HandedOver(**await usecases.hand_over(conn, principal, body_code=code, role=role.value,
                                                 person_id=body.person_id))
