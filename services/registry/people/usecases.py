"""People use cases: registering people and appointing them to bodies, with their events."""

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.identity import usecases as identity
from services.registry.people import db
from services.registry.people.domain import (
    SINGLE_HOLDER_OFFICES,
    already_appointed,
    canonical_contact,
    check_head_role,
    check_office_free,
)
from services.registry.permissions import PERMISSIONS, Capability, may_appoint, may_see_members
from services.registry.structure import usecases as structure
from services.registry.structure.domain import Body
from services.registry.tables import outbox
from shared.contracts.registry import MemberAppointed, MemberRemoved, PersonRegistered
from shared.messaging.outbox import add_events
from shared.persian import normalize_text
from shared.principal import Principal
from shared.refusals import forbidden, not_found


async def register_person(conn: AsyncConnection, *, name: str, mobile: str | None, email: str | None,
                          organisations: list[str] | None = None) -> uuid.UUID:
    """Store a person and queue PersonRegistered, naming the organisations they speak for (callers checked who may)."""
    name, mobile, email = canonical_contact(name, mobile, email)
    person_id = await db.create_person(conn, name=name, mobile=mobile, email=email)
    await add_events(conn, outbox, [PersonRegistered(person_id=person_id, name=name, mobile=mobile, email=email,
                                                     organisations=organisations or [])])
    return person_id


async def register(conn: AsyncConnection, principal: Principal, *, name: str, mobile: str | None,
                   email: str | None) -> dict:
    """Register a person with contact details (festival secretary or a district secretary); returns the person."""
    PERMISSIONS.require(principal, Capability.REGISTER_PEOPLE)
    person_id = await register_person(conn, name=name, mobile=mobile, email=email)
    return await db.get_person(conn, person_id=person_id)


async def person(conn: AsyncConnection, principal: Principal, person_id: uuid.UUID) -> dict:
    """A person's contact details and memberships (the person themself, or city-wide staff; hidden from others)."""
    if principal.subject != str(person_id):
        PERMISSIONS.require(principal, Capability.READ_PEOPLE, refusal=not_found("شخص", "Person"))
    found = await db.get_person(conn, person_id=person_id)
    if found is None:
        raise not_found("شخص", "Person")
    return found


async def members(conn: AsyncConnection, principal: Principal, body_code: str) -> list[dict]:
    """Who currently sits on an active body, with their roles: for city-wide staff and the bodies that oversee the
    districts, a district's office for its district's bodies, and the body's own members."""
    body = await structure.active_body(conn, body_code)
    if not may_see_members(principal, body_code=body.code, district=body.district):
        raise forbidden()
    return await db.body_members(conn, body_code=body.code)


async def appoint(conn: AsyncConnection, principal: Principal, *, person_id: uuid.UUID, body_code: str,
                  role: str) -> uuid.UUID:
    """Appoint a person to a body if the caller may (permissions.may_appoint); queues MemberAppointed."""
    body = await structure.active_body(conn, body_code)
    if not may_appoint(principal, kind=body.kind, district=body.district):
        raise forbidden()
    if not await db.person_exists(conn, person_id=person_id):
        raise not_found("شخص", "Person")
    if (body.kind, role) in SINGLE_HOLDER_OFFICES:
        await db.lock_body(conn, body_code=body.code)  # two appointments at once: the second sees the first
        check_office_free(any(m["role"] == role for m in await db.body_members(conn, body_code=body.code)))
    return await seat(conn, person_id=person_id, body=body, role=role, by=principal.subject)


async def seat(conn: AsyncConnection, *, person_id: uuid.UUID, body: Body, role: str, by: str) -> uuid.UUID:
    """Record the appointment and queue MemberAppointed (for callers that checked who may)."""
    appointment_id = await db.appoint(conn, person_id=person_id, body_code=body.code, role=role, by=by)
    if appointment_id is None:
        raise already_appointed()
    await add_events(conn, outbox, [MemberAppointed(
        appointment_id=appointment_id, person_id=person_id, body_code=body.code, body_kind=body.kind, role=role,
        district=body.district)])
    return appointment_id


async def remove(conn: AsyncConnection, principal: Principal, *, body_code: str, appointment_id: uuid.UUID) -> None:
    """End an appointment if the caller may; the record stays. Queues MemberRemoved, and the person's tokens are
    revoked (they carry the role just lost)."""
    body = await structure.active_body(conn, body_code)
    if not may_appoint(principal, kind=body.kind, district=body.district):
        raise forbidden()
    if not await _unseat(conn, body=body, appointment_id=appointment_id, by=principal.subject):
        raise not_found("انتصاب", "Appointment")


async def _unseat(conn: AsyncConnection, *, body: Body, appointment_id: uuid.UUID, by: str) -> bool:
    """End an active appointment to the body, queue MemberRemoved and revoke the person's tokens (they carry the
    role just lost); False when there was no such appointment."""
    ended = await db.end_appointment(conn, appointment_id=appointment_id, body_code=body.code, by=by)
    if ended is None:
        return False
    await add_events(conn, outbox, [MemberRemoved(
        appointment_id=appointment_id, person_id=ended["person_id"], body_code=body.code, body_kind=body.kind,
        role=ended["role"], district=body.district)])
    await identity.revoke_access(conn, [ended["person_id"]], "appointment_ended")
    return True


async def hand_over(conn: AsyncConnection, principal: Principal, *, body_code: str, role: str,
                    person_id: uuid.UUID) -> dict:
    """Hand a body's head role (chair or secretary) to a person in one transaction: whoever held it is removed (their
    tokens revoked) and the person appointed; e.g. the council replaces the festival secretary. Returns the new
    appointment and the people replaced."""
    check_head_role(role)
    body = await structure.active_body(conn, body_code)
    if not may_appoint(principal, kind=body.kind, district=body.district):
        raise forbidden()
    if not await db.person_exists(conn, person_id=person_id):
        raise not_found("شخص", "Person")
    await db.lock_body(conn, body_code=body.code)
    holders = [m for m in await db.body_members(conn, body_code=body.code) if m["role"] == role]
    others = [m for m in holders if m["person_id"] != person_id]
    kept = next((m["appointment_id"] for m in holders if m["person_id"] == person_id), None)
    if kept is not None and not others:
        raise already_appointed()
    for holder in others:
        await _unseat(conn, body=body, appointment_id=holder["appointment_id"], by=principal.subject)
    appointment_id = kept or await seat(conn, person_id=person_id, body=body, role=role, by=principal.subject)
    return {"appointment_id": appointment_id, "replaced": [m["person_id"] for m in others]}


async def directory(conn: AsyncConnection, principal: Principal, *, name: str | None = None,
                    body_code: str | None = None, role: str | None = None, district: int | None = None,
                    limit: int = 100) -> dict:
    """People and their current appointments, filtered by body, role, district and a part of the name (city-wide
    staff, who read people's records); at most `limit` of them and how many match."""
    PERMISSIONS.require(principal, Capability.READ_PEOPLE)
    rows, total = await db.directory(conn, name=normalize_text(name) if name else None, body_code=body_code,
                                     role=role, district=district, limit=limit)
    return {"people": rows, "total": total}


async def record(conn: AsyncConnection, principal: Principal, person_id: uuid.UUID) -> dict:
    """A person's contact details, every appointment they held or hold (with the body's name) and their account,
    for those who may read the person (usecases.person)."""
    found = await person(conn, principal, person_id)
    history = (await db.appointments_of(conn, person_ids=[person_id], active_only=False)).get(person_id, [])
    return {**found, "appointments": history, "account": await db.account_of(conn, person_id=person_id)}


async def appointment_letter(conn: AsyncConnection, principal: Principal, appointment_id: uuid.UUID) -> dict:
    """An appointment (active or ended) for its letter: for the person appointed, and for those who may read
    others' records (usecases.person); hidden (not found) from anyone else."""
    found = await db.appointment(conn, appointment_id=appointment_id)
    if found is None:
        raise not_found("حکم", "Appointment")
    await person(conn, principal, found["person_id"])  # refuses, as not found, whoever may not read the person
    return found
