"""First start: a signing key and the first administrator (the festival secretary) from configuration."""

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry import db, db_people
from services.registry.identity import hash_password, new_signing_key
from shared.contracts.registry import MemberAppointed, PersonRegistered
from shared.messaging.outbox import add_events

BOOTSTRAP_LOCK = 7_405_002
SECRETARY_BODY = "festival-secretary"
log = structlog.get_logger("bootstrap")


async def ensure_signing_key(engine: AsyncEngine) -> None:
    """Create a signing key when none is active."""
    async with engine.begin() as conn:
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOOTSTRAP_LOCK})
        if not any(row["retired_at"] is None for row in await db.signing_key_rows(conn)):
            kid, pem, jwk = new_signing_key()
            await db.add_signing_key(conn, kid=kid, private_pem=pem, public_jwk=jwk)
            log.info("identity.signing_key_created", kid=kid)


async def ensure_admin(engine: AsyncEngine, *, username: str, password: str, name: str) -> None:
    """Create the festival secretary's person, account and appointment on first start; later starts leave them."""
    async with engine.begin() as conn:
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOOTSTRAP_LOCK})
        if await db_people.username_taken(conn, username=username):
            return
        await create_staff(conn, username=username, password=password, name=name, body_code=SECRETARY_BODY,
                           role="secretary", by="bootstrap")
        log.info("identity.admin_created", username=username)


async def create_staff(conn: AsyncConnection, *, username: str, password: str, name: str, body_code: str, role: str,
                       by: str, mobile: str | None = None, email: str | None = None) -> None:
    """A person, their account and one appointment, with the events (for bootstrap and operators)."""
    body = (await db.load_bodies(conn)).get(body_code)
    if body is None or not body.active:
        raise ValueError(f"no active body {body_code!r}")
    person_id = await db_people.create_person(conn, name=name, mobile=mobile, email=email)
    await db_people.create_account(conn, username=username, password_hash=hash_password(password),
                                   person_id=person_id)
    appointment_id = await db_people.appoint(conn, person_id=person_id, body_code=body_code, role=role, by=by)
    await add_events(conn, db.outbox, [
        PersonRegistered(person_id=person_id, name=name, mobile=mobile, email=email),
        MemberAppointed(appointment_id=appointment_id, person_id=person_id, body_code=body_code,
                        body_kind=body.kind, role=role, district=body.district),
    ])
