"""Bodies and neighbourhoods: keyword-only queries."""

from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.structure.domain import STRUCTURE, Body, Neighbourhood
from services.registry.tables import bodies, neighbourhoods
from shared.contracts.base import Event

# Serialises structure loads across replicas (pg advisory lock key).
STRUCTURE_LOCK = 7_405_001
BODY_FIELDS = ("code", "kind", "name_fa", "parent_code", "district", "active")


async def lock_structure(conn: AsyncConnection) -> None:
    """Wait until no other transaction is loading the structure (released at commit)."""
    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STRUCTURE_LOCK})


async def load_bodies(conn: AsyncConnection, *, managed_by: str | None = None) -> dict[str, Body]:
    """Stored bodies by code (only those the structure file or staff manage, when asked)."""
    statement = select(bodies) if managed_by is None else select(bodies).where(bodies.c.managed_by == managed_by)
    rows = (await conn.execute(statement)).mappings()
    return {r["code"]: Body(**{k: r[k] for k in BODY_FIELDS}) for r in rows}


async def load_body(conn: AsyncConnection, *, code: str) -> Body | None:
    """One stored body."""
    row = (await conn.execute(select(bodies).where(bodies.c.code == code))).mappings().first()
    return Body(**{k: row[k] for k in BODY_FIELDS}) if row else None


async def load_neighbourhoods(conn: AsyncConnection) -> dict[str, Neighbourhood]:
    """Every stored neighbourhood by code."""
    rows = (await conn.execute(select(neighbourhoods))).mappings()
    return {r["code"]: Neighbourhood(code=r["code"], district=r["district"], name_fa=r["name_fa"],
                                     active=r["active"]) for r in rows}


async def apply_structure_events(conn: AsyncConnection, *, events: Sequence[Event],
                                 managed_by: str = STRUCTURE) -> None:
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
