"""Reports (a district's, or the city's compiled from them): keyword-only queries."""

import uuid
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.tables import reports


async def insert_report(conn: AsyncConnection, *, values: dict) -> dict:
    """Store a report; returns it."""
    row = (await conn.execute(reports.insert().values(**values).returning(reports))).mappings().one()
    return dict(row)


async def latest_district_reports(conn: AsyncConnection, *, start: date, end: date) -> dict[int, dict]:
    """Each district's most recent report whose period overlaps [start, end]."""
    statement = (select(reports).distinct(reports.c.district)
                 .where(reports.c.district.is_not(None), reports.c.period_start <= end, reports.c.period_end >= start)
                 .order_by(reports.c.district, reports.c.filed_at.desc()))
    return {r["district"]: dict(r) for r in (await conn.execute(statement)).mappings()}


async def list_reports(conn: AsyncConnection, *, district: int | None, city: bool = False) -> list[dict]:
    """Reports newest first: of a district, or the city reports."""
    statement = select(reports).order_by(reports.c.filed_at.desc())
    statement = statement.where(reports.c.district.is_(None) if city else reports.c.district == district)
    return [dict(r) for r in (await conn.execute(statement)).mappings()]


async def get_report(conn: AsyncConnection, *, report_id: uuid.UUID) -> dict | None:
    """One report."""
    row = (await conn.execute(select(reports).where(reports.c.id == report_id))).mappings().first()
    return dict(row) if row else None


async def last_filed(conn: AsyncConnection) -> dict[int, datetime]:
    """When each district last filed a report."""
    rows = await conn.execute(select(reports.c.district, func.max(reports.c.filed_at))
                              .where(reports.c.district.is_not(None)).group_by(reports.c.district))
    return dict(rows.all())
