"""First start: a signing key and the first administrator (the festival secretary) from configuration."""

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry.identity import usecases as identity
from services.registry.identity.db import username_taken
from services.registry.identity.usecases import create_staff
from shared.principal import Role

BOOTSTRAP_LOCK = 7_405_002
SECRETARY_BODY = "festival-secretary"
log = structlog.get_logger("bootstrap")


async def _lock(conn: AsyncConnection) -> None:
    # Replicas starting together create one key and one administrator.
    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOOTSTRAP_LOCK})


async def ensure_signing_key(engine: AsyncEngine, *, key_encryption_key: str) -> None:
    """Encrypt private keys still stored in the clear, and create a signing key when none is active."""
    async with engine.begin() as conn:
        await _lock(conn)
        if sealed := await identity.seal_stored_keys(conn, key_encryption_key=key_encryption_key):
            log.info("identity.signing_keys_encrypted", count=sealed)
        if not await identity.has_active_key(conn):
            kid = await identity.add_signing_key(conn, key_encryption_key=key_encryption_key)
            log.info("identity.signing_key_created", kid=kid)


async def ensure_admin(engine: AsyncEngine, *, username: str, password: str, name: str) -> None:
    """Create the festival secretary's person, account and appointment on first start; later starts leave them."""
    async with engine.begin() as conn:
        await _lock(conn)
        if await username_taken(conn, username=username):
            return
        await create_staff(conn, username=username, password=password, name=name, body_code=SECRETARY_BODY,
                           role=Role.SECRETARY.value, by="bootstrap")
        log.info("identity.admin_created", username=username)
