"""Keyword-only queries of editions, their calls and the calls' festival offices."""

from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls.domain import CallState
from services.submissions.db import call_offices, calls, editions, neighbourhoods, works


async def insert_edition(conn: AsyncConnection, *, code: str, title_fa: str, created_by: str) -> bool:
    """Add an edition; False when it already exists."""
    result = await conn.execute(insert(editions).values(code=code, title_fa=title_fa, created_by=created_by)
                                .on_conflict_do_nothing().returning(editions.c.code))
    return result.first() is not None


async def list_editions(conn: AsyncConnection) -> list[dict]:
    """Every edition with its call's state, newest first."""
    rows = await conn.execute(
        select(editions, calls.c.state, calls.c.opens_at, calls.c.closes_at)
        .select_from(editions.outerjoin(calls, calls.c.edition == editions.c.code))
        .order_by(editions.c.code.desc()))
    return [dict(r) for r in rows.mappings()]


async def get_edition(conn: AsyncConnection, *, code: str) -> dict | None:
    """One edition."""
    row = (await conn.execute(select(editions).where(editions.c.code == code))).mappings().first()
    return dict(row) if row else None


async def get_call(conn: AsyncConnection, *, edition: str, for_update: bool = False) -> dict | None:
    """The call of an edition (locked for the transaction when for_update)."""
    query = select(calls).where(calls.c.edition == edition)
    if for_update:
        query = query.with_for_update()
    row = (await conn.execute(query)).mappings().first()
    return dict(row) if row else None


async def current_call(conn: AsyncConnection, *, now: datetime) -> dict | None:
    """The call people should hear about: the newest taking works now, else the newest announced (open or
    closed, never a draft), with its edition's title; None when there is none."""
    accepting = and_(calls.c.state == CallState.OPEN, calls.c.opens_at <= now, calls.c.closes_at > now)
    row = (await conn.execute(
        select(calls, editions.c.title_fa).join(editions, editions.c.code == calls.c.edition)
        .where(calls.c.state != CallState.DRAFT).order_by(accepting.desc(), calls.c.edition.desc()).limit(1)
    )).mappings().first()
    return dict(row) if row else None


async def calls_past_deadline(conn: AsyncConnection, *, now: datetime) -> list[str]:
    """Editions whose call is still open after its closing instant, locked (other replicas skip them)."""
    rows = await conn.execute(select(calls.c.edition).where(calls.c.state == CallState.OPEN, calls.c.closes_at <= now)
                              .order_by(calls.c.edition).with_for_update(skip_locked=True))
    return [row[0] for row in rows]


async def save_call(conn: AsyncConnection, *, edition: str, values: dict) -> dict:
    """Create or update the call of an edition; returns the row."""
    row = (await conn.execute(
        insert(calls).values(edition=edition, **values)
        .on_conflict_do_update(index_elements=["edition"], set_={**values, "updated_at": func.now()})
        .returning(*calls.c))).mappings().one()
    return dict(row)


async def update_call(conn: AsyncConnection, *, edition: str, values: dict) -> dict:
    """Change an existing call; returns the row."""
    row = (await conn.execute(
        calls.update().where(calls.c.edition == edition).values(**values, updated_at=func.now())
        .returning(*calls.c))).mappings().one()
    return dict(row)


async def call_offices_of(conn: AsyncConnection, *, edition: str) -> list[dict]:
    """The festival offices of an edition, with their neighbourhoods' names and districts."""
    rows = await conn.execute(
        select(neighbourhoods.c.code, neighbourhoods.c.district, neighbourhoods.c.name_fa)
        .join(call_offices, call_offices.c.neighbourhood_code == neighbourhoods.c.code)
        .where(call_offices.c.edition == edition, call_offices.c.open)
        .order_by(neighbourhoods.c.district, neighbourhoods.c.name_fa))
    return [dict(r) for r in rows.mappings()]


async def replace_call_offices(conn: AsyncConnection, *, edition: str, codes: list[str], actor: str) -> None:
    """Open the festival offices of an edition in exactly these neighbourhoods, closing the others; the staff a
    district named stay on record."""
    await conn.execute(call_offices.update().where(
        call_offices.c.edition == edition, call_offices.c.open, call_offices.c.neighbourhood_code.not_in(codes),
    ).values(open=False, updated_by=actor, updated_at=func.now()))
    if codes:
        values = [{"edition": edition, "neighbourhood_code": c, "open": True, "updated_by": actor} for c in codes]
        statement = insert(call_offices).values(values)
        await conn.execute(statement.on_conflict_do_update(
            index_elements=["edition", "neighbourhood_code"], where=~call_offices.c.open,
            set_={"open": True, "updated_by": statement.excluded.updated_by, "updated_at": func.now()}))


async def is_office(conn: AsyncConnection, *, edition: str, neighbourhood_code: str) -> bool:
    """True when the neighbourhood has a festival office in the edition."""
    return (await conn.execute(select(func.count()).select_from(call_offices).where(
        call_offices.c.edition == edition, call_offices.c.neighbourhood_code == neighbourhood_code,
        call_offices.c.open,
    ))).scalar_one() > 0


async def call_categories(conn: AsyncConnection) -> dict[str, dict[str, str]]:
    """Each edition's category names, for labels."""
    return {row[0]: row[1] for row in await conn.execute(select(calls.c.edition, calls.c.categories))}


async def categories_in_use(conn: AsyncConnection, *, edition: str) -> set[str]:
    """Categories that works of the edition already use."""
    rows = await conn.execute(select(works.c.category).where(works.c.edition == edition).distinct())
    return {r[0] for r in rows}
