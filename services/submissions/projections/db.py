"""Keyword-only queries of the neighbourhoods and organisations mirrored from registry's events."""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.db import neighbourhoods, organisations


async def upsert_neighbourhood(conn: AsyncConnection, *, code: str, district: int, name_fa: str, active: bool) -> None:
    """Store the neighbourhood as registry last described it."""
    values = {"code": code, "district": district, "name_fa": name_fa, "active": active}
    await conn.execute(insert(neighbourhoods).values(**values)
                       .on_conflict_do_update(index_elements=["code"], set_=values))


async def find_neighbourhood(conn: AsyncConnection, *, district: int, name_fa: str) -> dict | None:
    """An active neighbourhood of the district by its (normalised) name."""
    row = (await conn.execute(select(neighbourhoods).where(
        neighbourhoods.c.district == district, neighbourhoods.c.name_fa == name_fa, neighbourhoods.c.active,
    ))).mappings().first()
    return dict(row) if row else None


async def upsert_organisation(conn: AsyncConnection, *, values: dict) -> None:
    """Store the organisation as registry last described it."""
    await conn.execute(insert(organisations).values(**values)
                       .on_conflict_do_update(index_elements=["code"], set_=values))


async def get_organisation(conn: AsyncConnection, *, code: str) -> dict | None:
    """The organisation with this registry code as registry last described it, active or not."""
    row = (await conn.execute(select(organisations).where(organisations.c.code == code))).mappings().first()
    return dict(row) if row else None


async def find_organisation(conn: AsyncConnection, *, code: str | None, legal_entity_id: str | None) -> dict | None:
    """An active registered organisation by its registry code and/or legal-entity ID (both must match)."""
    conditions = [organisations.c.active]
    if code is not None:
        conditions.append(organisations.c.code == code)
    if legal_entity_id is not None:
        conditions.append(organisations.c.legal_entity_id == legal_entity_id)
    row = (await conn.execute(select(organisations).where(*conditions).limit(2))).mappings().all()
    return dict(row[0]) if len(row) == 1 else None


async def neighbourhoods_of(conn: AsyncConnection, *, district: int) -> list[dict]:
    """The district's active neighbourhoods (code, name_fa), in Persian alphabetical order."""
    rows = await conn.execute(select(neighbourhoods.c.code, neighbourhoods.c.name_fa).where(
        neighbourhoods.c.district == district, neighbourhoods.c.active).order_by(neighbourhoods.c.name_fa))
    return [dict(r) for r in rows.mappings()]


async def organisations_of(conn: AsyncConnection, *, district: int) -> list[dict]:
    """Active registered organisations of the district, and those registered for no district in particular."""
    rows = await conn.execute(
        select(organisations.c.code, organisations.c.name_fa, organisations.c.legal_entity_id)
        .where(organisations.c.active, (organisations.c.district == district) | organisations.c.district.is_(None))
        .order_by(organisations.c.name_fa))
    return [dict(r) for r in rows.mappings()]
