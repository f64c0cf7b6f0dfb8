"""First start: a signing key and the first administrator (the festival secretary) from configuration."""

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

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
        person_id = await db_people.create_person(conn, name=name, mobile=None, email=None)
        await db_people.create_account(conn, username=username, password_hash=hash_password(password),
                                       person_id=person_id)
        appointment_id = await db_people.appoint(conn, person_id=person_id, body_code=SECRETARY_BODY,
                                                 role="secretary", by="bootstrap")
        await add_events(conn, db.outbox, [
            PersonRegistered(person_id=person_id, name=name),
            MemberAppointed(appointment_id=appointment_id, person_id=person_id, body_code=SECRETARY_BODY,
                            body_kind="festival_secretary", role="secretary"),
        ])
        log.info("identity.admin_created", username=username)
