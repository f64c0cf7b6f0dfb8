"""Identity use cases: signing in (throttled per username and client, and per client), the signing keys, staff
accounts, and cutting someone off (deactivation, a changed or reset password: revoke_access)."""

import asyncio
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry.identity import db
from services.registry.identity.crypto import (
    hash_password,
    is_sealed,
    issue_token,
    jwks,
    new_signing_key,
    open_private_key,
    password_matches,
    seal_private_key,
)
from services.registry.identity.domain import (
    FORGOTTEN_AFTER,
    ClientFailures,
    account_district,
    bad_credentials,
    cannot_deactivate_self,
    client_after_failure,
    client_key,
    lock_in_force,
    locked_until,
    normal_username,
    own_password_reset,
    same_password,
    too_many_attempts,
    username_taken,
    wrong_current_password,
)
from services.registry.people import db as people_db
from services.registry.people import usecases as people
from services.registry.permissions import PERMISSIONS, Capability
from services.registry.structure.db import load_bodies
from services.registry.tables import outbox
from shared.contracts.registry import AccessRevoked
from shared.messaging.outbox import add_events
from shared.persian import normalize_text
from shared.principal import Principal
from shared.refusals import not_authenticated, not_found
from shared.revocation import person_of


async def sign_in(engine: AsyncEngine, *, username: str, password: str, client: str | None, issuer: str,
                  token_minutes: int, key_encryption_key: str) -> str:
    """A short-lived token for the right password. Failures are counted per username at this client (address) and
    per client: the first lock holds only for that pair, the second locks a client that tries many usernames.

    It owns its transaction: a failure must be stored even though the caller is refused.
    """
    username, client, now = normal_username(username), client_key(client), datetime.now(UTC)
    async with engine.begin() as conn:
        account, until = await _verified(conn, username=username, password=password, client=client, now=now)
        if account is not None:
            return await _token(conn, account, issuer=issuer, token_minutes=token_minutes,
                                key_encryption_key=key_encryption_key)
    raise too_many_attempts(until, datetime.now(UTC)) if until else bad_credentials()


async def _verified(conn: AsyncConnection, *, username: str, password: str, client: str,
                    now: datetime) -> tuple[dict | None, datetime | None]:
    """(the account, None) for the right password; (None, the lock in force) while the pair or the client is locked;
    else (None, None), the failure counted."""
    pair = await db.sign_in_state(conn, username=username, client=client)
    counted = await db.client_state(conn, client=client)
    if until := lock_in_force(pair and pair["locked_until"], counted and counted["locked_until"], now=now):
        return None, until
    account = await db.find_account(conn, username=username)
    if await _matches(account and account["password_hash"], password):
        if pair:
            await db.clear_failures(conn, username=username, client=client)
        return account, None
    failures = (pair["failures"] if pair else 0) + 1
    await db.record_failure(conn, username=username, client=client, failures=failures, at=now,
                            locked_until=locked_until(failures, now))
    window = client_after_failure(ClientFailures(**{k: counted[k] for k in ("window_started", "failures")})
                                  if counted else None, now)
    if window.failures == 1:  # a new window: a moment to forget what no longer counts
        await db.forget_failures_before(conn, before=now - FORGOTTEN_AFTER)
    await db.record_client(conn, client=client, window_started=window.window_started, failures=window.failures,
                           locked_until=window.locked_until)
    return None, None


async def _matches(password_hash: str | None, password: str) -> bool:
    """The password check in a worker thread: argon2 spends about 0.1 s of CPU on purpose, and on the event loop
    every sign-in (a wrong one too) stalled the whole registry for that long: requests, the ledger, the relay."""
    return await asyncio.to_thread(password_matches, password_hash, password)


async def _hashed(password: str) -> str:
    """A new password's hash, in a worker thread for the same reason."""
    return await asyncio.to_thread(hash_password, password)


async def _token(conn: AsyncConnection, account: dict, *, issuer: str, token_minutes: int,
                 key_encryption_key: str) -> str:
    """A token for the account's person, signed with the active key, carrying the account's token version."""
    key = next(k for k in await db.signing_key_rows(conn) if k["retired_at"] is None)
    return issue_token(kid=key["kid"], private_pem=open_private_key(key["private_pem"], key_encryption_key),
                       issuer=issuer,
                       account={**account, "id": account["person_id"]}, minutes=token_minutes)


async def revoke_access(conn: AsyncConnection, person_ids: Iterable[uuid.UUID], reason: str) -> None:
    """Cut people off from the tokens they hold: their accounts' token version rises, so a token carrying an older
    one (its `tv`) is no longer honoured. Every loss of access goes through here (reason: account_deactivated,
    password_changed, password_reset, appointment_ended, organisation_deactivated, body_deactivated)."""
    if ids := sorted(set(person_ids)):
        raised = await db.raise_token_versions(conn, person_ids=ids)
        # Every other service keeps the newest version per person and refuses older tokens (shared/revocation.py).
        await add_events(conn, outbox, [AccessRevoked(person_id=row["person_id"], token_version=row["token_version"],
                                                      reason=reason) for row in raised])


async def lowest_accepted_version(conn: AsyncConnection, person_id: str) -> int:
    """The oldest token version still honoured for a person (registry reads its own accounts, not a projection)."""
    if (subject := person_of(person_id)) is None:
        return 0
    return await db.token_version(conn, person_id=subject) or 0


async def public_keys(conn: AsyncConnection, *, token_minutes: int) -> dict:
    """The JWKS: keys that can still verify a live token."""
    return jwks(await db.signing_key_rows(conn), token_minutes=token_minutes, now_epoch=time.time())


async def rotate_signing_key(conn: AsyncConnection, principal: Principal, *, key_encryption_key: str) -> str:
    """Start signing with a new key (returns its kid); tokens signed with the old one stay valid until they expire."""
    PERMISSIONS.require(principal, Capability.ROTATE_SIGNING_KEYS)
    await db.retire_signing_keys(conn)
    return await add_signing_key(conn, key_encryption_key=key_encryption_key)


async def add_signing_key(conn: AsyncConnection, *, key_encryption_key: str) -> str:
    """Store a fresh signing key, its private part encrypted with the key-encryption key; returns its kid."""
    kid, pem, jwk = new_signing_key()
    await db.add_signing_key(conn, kid=kid, private_pem=seal_private_key(pem, key_encryption_key), public_jwk=jwk)
    return kid


async def seal_stored_keys(conn: AsyncConnection, *, key_encryption_key: str) -> int:
    """Encrypt keys stored in the clear (before keys were encrypted); returns how many. The active key must open with
    the key-encryption key (KeyNotReadable otherwise: the wrong secret file, refused before anything is signed)."""
    sealed = 0
    for row in await db.signing_key_rows(conn):
        if not is_sealed(row["private_pem"]):
            await db.replace_private_pem(conn, kid=row["kid"],
                                         private_pem=seal_private_key(row["private_pem"], key_encryption_key))
            sealed += 1
        elif row["retired_at"] is None:
            open_private_key(row["private_pem"], key_encryption_key)
    return sealed


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
    return await db.create_account(conn, username=username, password_hash=await _hashed(password),
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


async def _managed_account(conn: AsyncConnection, principal: Principal, account_id: uuid.UUID,
                           capability: Capability) -> dict:
    """An account the caller may manage: the festival secretary any, a district secretary those of their
    district's people and organisations (permissions: account_district)."""
    account = await db.get_account(conn, account_id=account_id)
    if account is None:
        raise not_found("حساب کاربری", "Account")
    memberships = await people_db.memberships_of(conn, person_id=account["person_id"])
    district = account_district([m["district"] for m in memberships], account["organisation_district"],
                                account["organisation_code"] is not None)
    PERMISSIONS.require(principal, capability, district=district)
    return account


async def deactivate_account(conn: AsyncConnection, principal: Principal, account_id: uuid.UUID) -> dict:
    """Deactivate an account: it cannot sign in, and the tokens it holds are revoked; returns the account."""
    account = await _managed_account(conn, principal, account_id, Capability.DEACTIVATE_ACCOUNTS)
    if str(account["person_id"]) == principal.subject:
        raise cannot_deactivate_self()
    if account["active"]:
        await db.set_active(conn, account_id=account_id, active=False)
        await revoke_access(conn, [account["person_id"]], "account_deactivated")
    return {**account, "active": False}


async def reset_password(conn: AsyncConnection, principal: Principal, account_id: uuid.UUID, *,
                         new_password: str) -> None:
    """Give someone's account a new password (they forgot theirs, or it leaked); their tokens are revoked."""
    account = await _managed_account(conn, principal, account_id, Capability.RESET_PASSWORDS)
    if str(account["person_id"]) == principal.subject:
        raise own_password_reset()
    await db.set_password_hash(conn, account_id=account_id, password_hash=await _hashed(new_password))
    await revoke_access(conn, [account["person_id"]], "password_reset")


async def change_own_password(engine: AsyncEngine, principal: Principal, *, current_password: str,
                              new_password: str, client: str | None, issuer: str, token_minutes: int,
                              key_encryption_key: str) -> str:
    """Change one's own password, the current one required (a wrong one counts as a failed sign-in, so a stolen
    token cannot guess it); earlier tokens are revoked and a fresh one returned. Owns its transaction, as sign-in."""
    PERMISSIONS.require(principal, Capability.CHANGE_OWN_PASSWORD)
    client, now = client_key(client), datetime.now(UTC)
    try:
        person_id = uuid.UUID(principal.subject)
    except ValueError:
        raise not_authenticated() from None
    async with engine.begin() as conn:
        own = await db.get_account(conn, person_id=person_id)
        if own is None or not own["active"]:
            raise not_authenticated()
        account, until = await _verified(conn, username=own["username"], password=current_password, client=client,
                                         now=now)
        if account is not None:
            if new_password == current_password:
                raise same_password()
            await db.set_password_hash(conn, account_id=own["id"], password_hash=await _hashed(new_password))
            await revoke_access(conn, [person_id], "password_changed")
            version = await db.token_version(conn, person_id=person_id)
            return await _token(conn, {**account, "token_version": version}, issuer=issuer,
                                token_minutes=token_minutes, key_encryption_key=key_encryption_key)
    raise too_many_attempts(until, datetime.now(UTC)) if until else wrong_current_password()


async def account_list(conn: AsyncConnection, principal: Principal, *, name: str | None = None,
                       limit: int = 100) -> dict:
    """Accounts with their person's current appointments, found by a part of the name or username (city-wide
    staff, who read people's records); at most `limit` and how many match."""
    PERMISSIONS.require(principal, Capability.READ_PEOPLE)
    rows, total = await db.list_accounts(conn, name=normalize_text(name) if name else None, limit=limit)
    held_by = await people_db.appointments_of(conn, person_ids=[r["person_id"] for r in rows], active_only=True)
    return {"accounts": [{**r, "appointments": held_by.get(r["person_id"], [])} for r in rows], "total": total}
