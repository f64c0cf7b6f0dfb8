"""Keyword-only queries of one district's festival offices in an edition."""

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.db import call_offices, neighbourhoods

COLUMNS = (call_offices.c.edition, neighbourhoods.c.code, neighbourhoods.c.district, neighbourhoods.c.name_fa,
           call_offices.c.open, call_offices.c.staff, call_offices.c.updated_by, call_offices.c.updated_at)


async def neighbourhood_by_code(conn: AsyncConnection, *, code: str) -> dict | None:
    """An active neighbourhood by its registry code, whatever its district."""
    row = (await conn.execute(select(neighbourhoods).where(
        neighbourhoods.c.code == code, neighbourhoods.c.active))).mappings().first()
    return dict(row) if row else None


async def offices_of(conn: AsyncConnection, *, edition: str, district: int) -> list[dict]:
    """The district's offices in the edition, open and closed, by neighbourhood name."""
    rows = await conn.execute(
        select(*COLUMNS).join(neighbourhoods, neighbourhoods.c.code == call_offices.c.neighbourhood_code)
        .where(call_offices.c.edition == edition, neighbourhoods.c.district == district)
        .order_by(neighbourhoods.c.name_fa))
    return [dict(r) for r in rows.mappings()]


async def office(conn: AsyncConnection, *, edition: str, neighbourhood_code: str,
                 for_update: bool = False) -> dict | None:
    """One office of the edition with its neighbourhood (locked for the transaction when for_update)."""
    query = (select(*COLUMNS).join(neighbourhoods, neighbourhoods.c.code == call_offices.c.neighbourhood_code)
             .where(call_offices.c.edition == edition, call_offices.c.neighbourhood_code == neighbourhood_code))
    if for_update:
        query = query.with_for_update(of=call_offices)
    row = (await conn.execute(query)).mappings().first()
    return dict(row) if row else None


async def save_office(conn: AsyncConnection, *, edition: str, neighbourhood_code: str, values: dict) -> None:
    """Create or change one office of the edition."""
    values = {**values, "updated_at": func.now()}
    await conn.execute(insert(call_offices).values(edition=edition, neighbourhood_code=neighbourhood_code, **values)
                       .on_conflict_do_update(index_elements=["edition", "neighbourhood_code"], set_=values))
