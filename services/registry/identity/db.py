"""Accounts, the sign-in throttle and signing keys: keyword-only queries."""

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.people.db import memberships_of
from services.registry.tables import accounts, organisations, people, sign_in_clients, sign_in_failures, signing_keys


async def find_account(conn: AsyncConnection, *, username: str) -> dict | None:
    """An active account by username (an organisation's only while the organisation is active), with its person's
    name and memberships."""
    row = (await conn.execute(
        select(accounts, people.c.name).join(people, people.c.id == accounts.c.person_id)
        .outerjoin(organisations, organisations.c.code == accounts.c.organisation_code)
        .where(accounts.c.username == username, accounts.c.active,
               or_(accounts.c.organisation_code.is_(None), organisations.c.active)))).mappings().first()
    if row is None:
        return None
    return {**row, "memberships": await memberships_of(conn, person_id=row["person_id"])}


async def get_account(conn: AsyncConnection, *, account_id: uuid.UUID | None = None,
                      person_id: uuid.UUID | None = None) -> dict | None:
    """An account by its id or its person's (active or not), locked for the change about to be made, with its
    organisation's district."""
    where = accounts.c.id == account_id if account_id is not None else accounts.c.person_id == person_id
    row = (await conn.execute(
        select(accounts, organisations.c.district.label("organisation_district"))
        .outerjoin(organisations, organisations.c.code == accounts.c.organisation_code)
        .where(where).with_for_update(of=accounts))).mappings().first()
    return dict(row) if row else None


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


async def set_active(conn: AsyncConnection, *, account_id: uuid.UUID, active: bool) -> None:
    """Activate or deactivate an account."""
    await conn.execute(update(accounts).where(accounts.c.id == account_id).values(active=active))


async def set_password_hash(conn: AsyncConnection, *, account_id: uuid.UUID, password_hash: str) -> None:
    """Store an account's new password hash."""
    await conn.execute(update(accounts).where(accounts.c.id == account_id).values(password_hash=password_hash))


async def raise_token_versions(conn: AsyncConnection, *, person_ids: Iterable[uuid.UUID]) -> list[dict]:
    """Raise the token version of these people's accounts by one; each account's person and new version."""
    result = await conn.execute(update(accounts).where(accounts.c.person_id.in_(list(person_ids)))
                                .values(token_version=accounts.c.token_version + 1)
                                .returning(accounts.c.person_id, accounts.c.token_version))
    return [dict(row) for row in result.mappings()]


async def token_version(conn: AsyncConnection, *, person_id: uuid.UUID) -> int | None:
    """The token version of a person's account (None: no account)."""
    return (await conn.execute(select(accounts.c.token_version).where(accounts.c.person_id == person_id))).scalar()


async def organisation_people(conn: AsyncConnection, *, organisation_code: str) -> list[uuid.UUID]:
    """The people whose accounts speak for an organisation."""
    rows = await conn.execute(select(accounts.c.person_id).where(accounts.c.organisation_code == organisation_code))
    return list(rows.scalars())


async def sign_in_state(conn: AsyncConnection, *, username: str, client: str) -> dict | None:
    """Recent failed sign-ins of a username from one client, locked for update."""
    row = (await conn.execute(select(sign_in_failures).where(
        sign_in_failures.c.username == username, sign_in_failures.c.client == client)
        .with_for_update())).mappings().first()
    return dict(row) if row else None


async def record_failure(conn: AsyncConnection, *, username: str, client: str, failures: int, at: datetime,
                         locked_until: datetime | None) -> None:
    """Store the failure count and lock of a username at one client."""
    values = {"failures": failures, "last_failed_at": at, "locked_until": locked_until}
    await conn.execute(insert(sign_in_failures).values(username=username, client=client, **values)
                       .on_conflict_do_update(index_elements=["username", "client"], set_=values))


async def clear_failures(conn: AsyncConnection, *, username: str, client: str) -> None:
    """Forget a username's failures at a client after its successful sign-in there."""
    await conn.execute(sign_in_failures.delete().where(sign_in_failures.c.username == username,
                                                       sign_in_failures.c.client == client))


async def client_state(conn: AsyncConnection, *, client: str) -> dict | None:
    """A client's failures in its current window and its lock, locked for update."""
    row = (await conn.execute(select(sign_in_clients).where(sign_in_clients.c.client == client)
                              .with_for_update())).mappings().first()
    return dict(row) if row else None


async def record_client(conn: AsyncConnection, *, client: str, window_started: datetime, failures: int,
                        locked_until: datetime | None) -> None:
    """Store a client's failures in its window and its lock."""
    values = {"window_started": window_started, "failures": failures, "locked_until": locked_until}
    await conn.execute(insert(sign_in_clients).values(client=client, **values)
                       .on_conflict_do_update(index_elements=["client"], set_=values))


async def forget_failures_before(conn: AsyncConnection, *, before: datetime) -> None:
    """Drop throttle rows whose last failure (or window) and lock both ended before the moment."""
    for table, moment in ((sign_in_failures, sign_in_failures.c.last_failed_at),
                          (sign_in_clients, sign_in_clients.c.window_started)):
        await conn.execute(table.delete().where(
            moment < before, or_(table.c.locked_until.is_(None), table.c.locked_until < before)))


async def signing_key_rows(conn: AsyncConnection) -> list[dict]:
    """Signing keys, newest first."""
    rows = await conn.execute(select(signing_keys).order_by(signing_keys.c.created_at.desc()))
    return [dict(r) for r in rows.mappings()]


async def add_signing_key(conn: AsyncConnection, *, kid: str, private_pem: str, public_jwk: dict) -> None:
    """Store a new signing key."""
    await conn.execute(signing_keys.insert().values(kid=kid, private_pem=private_pem, public_jwk=public_jwk))


async def replace_private_pem(conn: AsyncConnection, *, kid: str, private_pem: str) -> None:
    """Store a key's private part anew (encrypted, where it was in the clear)."""
    await conn.execute(update(signing_keys).where(signing_keys.c.kid == kid).values(private_pem=private_pem))


async def retire_signing_keys(conn: AsyncConnection) -> None:
    """Retire the active key(s); they stay in the JWKS until their last token expires."""
    await conn.execute(update(signing_keys).where(signing_keys.c.retired_at.is_(None)).values(retired_at=func.now()))


async def list_accounts(conn: AsyncConnection, *, name: str | None, limit: int) -> tuple[list[dict], int]:
    """Accounts (active or not) whose person's name or username contains `name`, newest first, at most `limit`, with
    the person's name and the organisation they speak for; and how many match in all."""
    query = (select(accounts.c.id, accounts.c.username, accounts.c.active, accounts.c.created_at,
                    accounts.c.person_id, accounts.c.organisation_code, people.c.name,
                    organisations.c.name_fa.label("organisation_name"))
             .join(people, people.c.id == accounts.c.person_id)
             .outerjoin(organisations, organisations.c.code == accounts.c.organisation_code))
    if name:
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(people.c.name.ilike(pattern, escape="\\"),
                                accounts.c.username.ilike(pattern, escape="\\")))
    total = (await conn.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = await conn.execute(query.order_by(accounts.c.created_at.desc(), accounts.c.username).limit(limit))
    return [dict(r) for r in rows.mappings()], total
