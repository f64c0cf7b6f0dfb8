"""Accounts, the sign-in throttle and signing keys: keyword-only queries."""

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.people.db import memberships_of
from services.registry.tables import accounts, people, sign_in_failures, signing_keys


async def find_account(conn: AsyncConnection, *, username: str) -> dict | None:
    """An active account by username, with its person's name and memberships."""
    row = (await conn.execute(
        select(accounts, people.c.name).join(people, people.c.id == accounts.c.person_id)
        .where(accounts.c.username == username, accounts.c.active))).mappings().first()
    if row is None:
        return None
    return {**row, "memberships": await memberships_of(conn, person_id=row["person_id"])}


async def create_account(conn: AsyncConnection, *, username: str, password_hash: str,
                         person_id: uuid.UUID, organisation_code: str | None = None) -> uuid.UUID:
    """Insert an account for a person (staff, or an organisation's representative)."""
    account_id = uuid.uuid4()
    await conn.execute(accounts.insert().values(id=account_id, username=username, password_hash=password_hash,
                                                person_id=person_id, organisation_code=organisation_code))
    return account_id


async def username_taken(conn: AsyncConnection, *, username: str) -> bool:
    """True when an account already uses the username."""
    return (await conn.execute(select(accounts.c.id).where(accounts.c.username == username))).first() is not None


async def sign_in_state(conn: AsyncConnection, *, username: str) -> dict | None:
    """Recent failed sign-ins of a username, locked for update."""
    row = (await conn.execute(select(sign_in_failures).where(sign_in_failures.c.username == username)
                              .with_for_update())).mappings().first()
    return dict(row) if row else None


async def record_failure(conn: AsyncConnection, *, username: str, failures: int, at: datetime,
                         locked_until: datetime | None) -> None:
    """Store the failure count and lock of a username."""
    values = {"failures": failures, "last_failed_at": at, "locked_until": locked_until}
    await conn.execute(insert(sign_in_failures).values(username=username, **values)
                       .on_conflict_do_update(index_elements=["username"], set_=values))


async def clear_failures(conn: AsyncConnection, *, username: str) -> None:
    """Forget failures after a successful sign-in."""
    await conn.execute(sign_in_failures.delete().where(sign_in_failures.c.username == username))


async def signing_key_rows(conn: AsyncConnection) -> list[dict]:
    """Signing keys, newest first."""
    rows = await conn.execute(select(signing_keys).order_by(signing_keys.c.created_at.desc()))
    return [dict(r) for r in rows.mappings()]


async def add_signing_key(conn: AsyncConnection, *, kid: str, private_pem: str, public_jwk: dict) -> None:
    """Store a new signing key."""
    await conn.execute(signing_keys.insert().values(kid=kid, private_pem=private_pem, public_jwk=public_jwk))


async def retire_signing_keys(conn: AsyncConnection) -> None:
    """Retire the active key(s); they stay in the JWKS until their last token expires."""
    await conn.execute(update(signing_keys).where(signing_keys.c.retired_at.is_(None)).values(retired_at=func.now()))
