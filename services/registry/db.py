"""Registry tables and keyword-only query functions."""

from collections.abc import Sequence

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, Table, Text, func, select, update
from sqlalchemy.dialects.postgresql import JSONB, insert
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
    Column("managed_by", Text, nullable=False, server_default="structure"),
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


signing_keys = Table(
    "signing_keys", metadata,
    Column("kid", Text, primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("public_jwk", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("retired_at", DateTime(timezone=True)),
)

async def load_bodies(conn: AsyncConnection, *, managed_by: str | None = None) -> dict[str, Body]:
    """Stored bodies by code (only those the structure file or staff manage, when asked)."""
    statement = select(bodies) if managed_by is None else select(bodies).where(bodies.c.managed_by == managed_by)
    rows = (await conn.execute(statement)).mappings()
    return {r["code"]: Body(**{k: r[k] for k in ("code", "kind", "name_fa", "parent_code", "district", "active")})
            for r in rows}


async def load_neighbourhoods(conn: AsyncConnection) -> dict[str, Neighbourhood]:
    """Every stored neighbourhood by code."""
    rows = (await conn.execute(select(neighbourhoods))).mappings()
    return {r["code"]: Neighbourhood(code=r["code"], district=r["district"], name_fa=r["name_fa"],
                                     active=r["active"]) for r in rows}


async def apply_structure_events(conn: AsyncConnection, *, events: Sequence[Event],
                                 managed_by: str = "structure") -> None:
    """Store the state each body or neighbourhood event describes (the caller queues the events)."""
    for event in events:
        table = bodies if event.entity == "body" else neighbourhoods
        values = {c.name: getattr(event, c.name) for c in table.columns if hasattr(event, c.name)}
        if table is bodies:
            values["managed_by"] = managed_by
        statement = insert(table).values(**values)
        await conn.execute(statement.on_conflict_do_update(
            index_elements=["code"], set_={**values, "updated_at": func.now()}))


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


async def retire_signing_keys(conn: AsyncConnection) -> None:
    """Retire the active key(s); they stay in the JWKS until their last token expires."""
    await conn.execute(update(signing_keys).where(signing_keys.c.retired_at.is_(None)).values(retired_at=func.now()))
