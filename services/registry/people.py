"""Registering people and appointing them to bodies, with their events, inside the caller's transaction."""

import re
import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry import db, db_people
from services.registry.domain import Body, may_appoint
from shared.contracts.registry import MemberAppointed, MemberRemoved, PersonRegistered
from shared.messaging.outbox import add_events
from shared.persian import canonical_mobile, normalize_text
from shared.principal import Principal
from shared.refusals import Kind, Refusal, forbidden, not_found

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", re.ASCII)


def canonical_contact(name: str, mobile: str | None, email: str | None) -> tuple[str, str | None, str | None]:
    """Normalised name, canonical mobile (09...) and lower-case email; refusals per field."""
    name = normalize_text(name)
    if len(name) < 2:
        raise Refusal(Kind.INVALID, "invalid_name", "نام را کامل بنویسید.", "The name is missing.")
    if mobile:
        try:
            mobile = canonical_mobile(mobile)
        except ValueError:
            raise Refusal(Kind.INVALID, "invalid_mobile", "شماره همراه معتبر نیست.",
                          "The mobile number is not valid.") \
                from None
    if email:
        email = email.strip().lower()
        if not EMAIL.fullmatch(email):
            raise Refusal(Kind.INVALID, "invalid_email", "نشانی ایمیل معتبر نیست.", "The email address is not valid.")
    return name, mobile or None, email or None


async def register_person(conn: AsyncConnection, *, name: str, mobile: str | None, email: str | None) -> uuid.UUID:
    """Store a person and queue PersonRegistered."""
    name, mobile, email = canonical_contact(name, mobile, email)
    person_id = await db_people.create_person(conn, name=name, mobile=mobile, email=email)
    await add_events(conn, db.outbox, [PersonRegistered(person_id=person_id, name=name, mobile=mobile, email=email)])
    return person_id


async def active_body(conn: AsyncConnection, code: str) -> Body:
    """An active body by code, or 404."""
    body = (await db.load_bodies(conn)).get(code)
    if body is None or not body.active:
        raise not_found("نهاد", "Body")
    return body


async def appoint(conn: AsyncConnection, principal: Principal, *, person_id: uuid.UUID, body_code: str,
                  role: str) -> uuid.UUID:
    """Appoint a person to a body if the caller may; queues MemberAppointed."""
    body = await active_body(conn, body_code)
    if not may_appoint(principal, body):
        raise forbidden()
    if await db_people.get_person(conn, person_id=person_id) is None:
        raise not_found("شخص", "Person")
    appointment_id = await db_people.appoint(conn, person_id=person_id, body_code=body.code, role=role,
                                             by=principal.subject)
    if appointment_id is None:
        raise Refusal(Kind.CONFLICT, "already_appointed", "این شخص همین نقش را در این نهاد دارد.",
                       "The person already holds this role in this body.")
    await add_events(conn, db.outbox, [MemberAppointed(
        appointment_id=appointment_id, person_id=person_id, body_code=body.code, body_kind=body.kind, role=role,
        district=body.district)])
    return appointment_id


async def remove(conn: AsyncConnection, principal: Principal, *, body_code: str, appointment_id: uuid.UUID) -> None:
    """End an appointment if the caller may; queues MemberRemoved."""
    body = await active_body(conn, body_code)
    if not may_appoint(principal, body):
        raise forbidden()
    ended = await db_people.end_appointment(conn, appointment_id=appointment_id, by=principal.subject)
    if ended is None or ended["body_code"] != body.code:
        raise not_found("انتصاب", "Appointment")
    await add_events(conn, db.outbox, [MemberRemoved(
        appointment_id=appointment_id, person_id=ended["person_id"], body_code=body.code, body_kind=body.kind,
        role=ended["role"], district=body.district)])
