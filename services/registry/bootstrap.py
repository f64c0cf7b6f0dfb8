"""First start: a signing key and the first administrator (the festival secretary) from configuration."""

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry import db
from services.registry.identity import hash_password, new_signing_key

BOOTSTRAP_LOCK = 7_405_002
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
    """Create the festival secretary's account on first start; later starts leave it alone."""
    async with engine.begin() as conn:
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOOTSTRAP_LOCK})
        if await db.username_taken(conn, username=username):
            return
        await db.create_account(conn, username=username, password_hash=hash_password(password), name=name,
                                roles=[("festival-secretary", "secretary")])
        log.info("identity.admin_created", username=username)
