"""Registry tables and keyword-only query functions."""

import uuid
from collections.abc import Sequence

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.domain import Body, Neighbourhood
from shared.contracts.base import Event
from shared.db import inbox_table, outbox_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

bodies = Table(
    "bodies", metadata,
    Column("code", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("parent_code", Text),
    Column("district", Integer),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

neighbourhoods = Table(
    "neighbourhoods", metadata,
    Column("code", Text, primary_key=True),
    Column("district", Integer, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

accounts = Table(
    "accounts", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("username", Text, nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

memberships = Table(
    "memberships", metadata,
    Column("account_id", UUID(as_uuid=True), ForeignKey("accounts.id"), nullable=False),
    Column("body_code", Text, ForeignKey("bodies.code"), nullable=False),
    Column("role", Text, nullable=False),
    PrimaryKeyConstraint("account_id", "body_code", "role"),
)

signing_keys = Table(
    "signing_keys", metadata,
    Column("kid", Text, primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("public_jwk", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("retired_at", DateTime(timezone=True)),
)

# The festival ledger: every internal event, append-only (the hash chain comes with the registry issue).
ledger = Table(
    "ledger", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", Text, nullable=False, unique=True),
    Column("event_type", Text, nullable=False),
    Column("routing_key", Text, nullable=False),
    Column("correlation_id", Text),
    Column("causation_id", Text),
    Column("payload", JSONB, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


async def append_to_ledger(conn: AsyncConnection, *, values: dict) -> None:
    """Append an event to the ledger (the inbox has already made sure it is new)."""
    await conn.execute(ledger.insert().values(**values))


async def load_bodies(conn: AsyncConnection) -> dict[str, Body]:
    """Every stored body by code."""
    rows = (await conn.execute(select(bodies))).mappings()
    return {r["code"]: Body(**{k: r[k] for k in ("code", "kind", "name_fa", "parent_code", "district", "active")})
            for r in rows}


async def load_neighbourhoods(conn: AsyncConnection) -> dict[str, Neighbourhood]:
    """Every stored neighbourhood by code."""
    rows = (await conn.execute(select(neighbourhoods))).mappings()
    return {r["code"]: Neighbourhood(code=r["code"], district=r["district"], name_fa=r["name_fa"],
                                     active=r["active"]) for r in rows}


async def apply_structure_events(conn: AsyncConnection, *, events: Sequence[Event]) -> None:
    """Store the state each structure event describes (the caller queues the events themselves)."""
    for event in events:
        table = bodies if event.entity == "body" else neighbourhoods
        values = {c.name: getattr(event, c.name) for c in table.columns if hasattr(event, c.name)}
        statement = insert(table).values(**values)
        await conn.execute(statement.on_conflict_do_update(
            index_elements=["code"], set_={**values, "updated_at": func.now()}))


async def find_account(conn: AsyncConnection, *, username: str) -> dict | None:
    """An active account by username, with its memberships."""
    row = (await conn.execute(
        select(accounts).where(accounts.c.username == username, accounts.c.active)
    )).mappings().first()
    if row is None:
        return None
    return {**row, "memberships": await account_memberships(conn, account_id=row["id"])}


async def account_memberships(conn: AsyncConnection, *, account_id: uuid.UUID) -> list[dict]:
    """Memberships of an account, with each body's kind and district (as tokens carry them)."""
    rows = (await conn.execute(
        select(memberships.c.body_code.label("body"), memberships.c.role, bodies.c.kind, bodies.c.district)
        .join(bodies, bodies.c.code == memberships.c.body_code)
        .where(memberships.c.account_id == account_id, bodies.c.active)
        .order_by(memberships.c.body_code, memberships.c.role)
    )).mappings()
    return [dict(r) for r in rows]


async def create_account(
    conn: AsyncConnection, *, username: str, password_hash: str, name: str, roles: Sequence[tuple[str, str]]
) -> uuid.UUID:
    """Insert an account and its (body, role) memberships."""
    account_id = uuid.uuid4()
    await conn.execute(accounts.insert().values(id=account_id, username=username,
                                                password_hash=password_hash, name=name))
    if roles:
        await conn.execute(memberships.insert(), [
            {"account_id": account_id, "body_code": body, "role": role} for body, role in roles])
    return account_id


async def username_taken(conn: AsyncConnection, *, username: str) -> bool:
    """True when an account already uses the username."""
    return (await conn.execute(select(accounts.c.id).where(accounts.c.username == username))).first() is not None


async def active_body_codes(conn: AsyncConnection, *, codes: Sequence[str]) -> set[str]:
    """Which of the given body codes exist and are active."""
    rows = await conn.execute(select(bodies.c.code).where(bodies.c.code.in_(codes), bodies.c.active))
    return {r[0] for r in rows}


async def list_bodies(conn: AsyncConnection, *, district: int | None = None) -> list[dict]:
    """Active bodies, optionally of one district."""
    query = select(bodies).where(bodies.c.active).order_by(bodies.c.district.nulls_first(), bodies.c.code)
    if district is not None:
        query = query.where(bodies.c.district == district)
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def list_neighbourhoods(conn: AsyncConnection, *, district: int | None = None) -> list[dict]:
    """Active neighbourhoods, optionally of one district."""
    query = select(neighbourhoods).where(neighbourhoods.c.active).order_by(
        neighbourhoods.c.district, neighbourhoods.c.name_fa)
    if district is not None:
        query = query.where(neighbourhoods.c.district == district)
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def signing_key_rows(conn: AsyncConnection) -> list[dict]:
    """Signing keys, newest first."""
    rows = await conn.execute(select(signing_keys).order_by(signing_keys.c.created_at.desc()))
    return [dict(r) for r in rows.mappings()]


async def add_signing_key(conn: AsyncConnection, *, kid: str, private_pem: str, public_jwk: dict) -> None:
    """Store a new signing key."""
    await conn.execute(signing_keys.insert().values(kid=kid, private_pem=private_pem, public_jwk=public_jwk))
