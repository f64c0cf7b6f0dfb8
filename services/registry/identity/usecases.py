"""Identity use cases: signing in (throttled), the signing keys, and staff accounts."""

import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry.identity import db
from services.registry.identity.crypto import hash_password, issue_token, jwks, new_signing_key, password_matches
from services.registry.identity.domain import (
    bad_credentials,
    locked_until,
    normal_username,
    too_many_attempts,
    username_taken,
)
from services.registry.people import usecases as people
from services.registry.permissions import PERMISSIONS, Capability
from services.registry.structure.db import load_bodies
from shared.principal import Principal


async def sign_in(engine: AsyncEngine, *, username: str, password: str, issuer: str, token_minutes: int) -> str:
    """A short-lived token for the right password; failures are counted and lock the username for a while.

    It owns its transaction: a failure must be stored even though the caller is refused.
    """
    username, now = normal_username(username), datetime.now(UTC)
    async with engine.begin() as conn:
        state = await db.sign_in_state(conn, username=username)
        if state and state["locked_until"] and state["locked_until"] > now:
            until = state["locked_until"]
        else:
            account = await db.find_account(conn, username=username)
            if password_matches(account and account["password_hash"], password):
                await db.clear_failures(conn, username=username)
                key = next(k for k in await db.signing_key_rows(conn) if k["retired_at"] is None)
                return issue_token(kid=key["kid"], private_pem=key["private_pem"], issuer=issuer,
                                   account={**account, "id": account["person_id"]}, minutes=token_minutes)
            failures = (state["failures"] if state else 0) + 1
            until = None
            await db.record_failure(conn, username=username, failures=failures, at=now,
                                    locked_until=locked_until(failures, now))
    raise too_many_attempts(until, datetime.now(UTC)) if until else bad_credentials()


async def public_keys(conn: AsyncConnection, *, token_minutes: int) -> dict:
    """The JWKS: keys that can still verify a live token."""
    return jwks(await db.signing_key_rows(conn), token_minutes=token_minutes, now_epoch=time.time())


async def rotate_signing_key(conn: AsyncConnection, principal: Principal) -> str:
    """Start signing with a new key (returns its kid); tokens signed with the old one stay valid until they expire."""
    PERMISSIONS.require(principal, Capability.ROTATE_SIGNING_KEYS)
    await db.retire_signing_keys(conn)
    return await add_signing_key(conn)


async def add_signing_key(conn: AsyncConnection) -> str:
    """Store a fresh signing key; returns its kid."""
    kid, pem, jwk = new_signing_key()
    await db.add_signing_key(conn, kid=kid, private_pem=pem, public_jwk=jwk)
    return kid


async def has_active_key(conn: AsyncConnection) -> bool:
    """True when a key signs tokens now."""
    return any(row["retired_at"] is None for row in await db.signing_key_rows(conn))


async def create_account(conn: AsyncConnection, principal: Principal, *, username: str, password: str, name: str,
                         mobile: str | None, email: str | None,
                         memberships: Iterable[tuple[str, str]]) -> tuple[uuid.UUID, uuid.UUID]:
    """A staff account for a new person, with the appointments the caller may make; (account id, person id)."""
    memberships = sorted(set(memberships))
    if not memberships:
        PERMISSIONS.require(principal, Capability.CREATE_ACCOUNTS)
    await claim_username(conn, username)
    person_id = await people.register_person(conn, name=name, mobile=mobile, email=email)
    for body_code, role in memberships:
        await people.appoint(conn, principal, person_id=person_id, body_code=body_code, role=role)
    return await store_account(conn, username=username, password=password, person_id=person_id), person_id


async def claim_username(conn: AsyncConnection, username: str) -> None:
    """Refuse a username another account has."""
    if await db.username_taken(conn, username=username):
        raise username_taken()


async def store_account(conn: AsyncConnection, *, username: str, password: str, person_id: uuid.UUID,
                        organisation_code: str | None = None) -> uuid.UUID:
    """Store an account with the password's hash (callers checked who may and claimed the username)."""
    return await db.create_account(conn, username=username, password_hash=hash_password(password),
                                   person_id=person_id, organisation_code=organisation_code)


async def create_staff(conn: AsyncConnection, *, username: str, password: str, name: str, body_code: str, role: str,
                       by: str, mobile: str | None = None, email: str | None = None) -> None:
    """A person, their account and one appointment, with the events (first start and operators: no principal)."""
    body = (await load_bodies(conn)).get(body_code)
    if body is None or not body.active:
        raise ValueError(f"no active body {body_code!r}")
    person_id = await people.register_person(conn, name=name, mobile=mobile, email=email)
    await store_account(conn, username=username, password=password, person_id=person_id)
    await people.seat(conn, person_id=person_id, body=body, role=role, by=by)
