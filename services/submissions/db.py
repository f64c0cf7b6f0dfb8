"""Submissions tables and keyword-only query functions."""

import uuid

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, Table, Text, UniqueConstraint, func, select
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import inbox_table, outbox_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

# Projection of registry's neighbourhood events.
neighbourhoods = Table(
    "neighbourhoods", metadata,
    Column("code", Text, primary_key=True),
    Column("district", Integer, nullable=False),
    Column("name_fa", Text, nullable=False),
    Column("active", Boolean, nullable=False),
    UniqueConstraint("district", "name_fa"),
)

works = Table(
    "works", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("tracking_code", Text, nullable=False, unique=True),
    Column("district", Integer, nullable=False, index=True),
    Column("neighbourhood_code", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("submitter_name", Text, nullable=False),
    Column("submitter_national_id", Text, nullable=False),
    Column("submitter_mobile", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


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


async def insert_work(conn: AsyncConnection, *, values: dict) -> None:
    """Insert a work row (values already validated and normalised)."""
    await conn.execute(works.insert().values(**values))


async def get_work(conn: AsyncConnection, *, work_id: uuid.UUID) -> dict | None:
    """A work with its neighbourhood's name."""
    row = (await conn.execute(
        select(works, neighbourhoods.c.name_fa.label("neighbourhood"))
        .join(neighbourhoods, neighbourhoods.c.code == works.c.neighbourhood_code)
        .where(works.c.id == work_id)
    )).mappings().first()
    return dict(row) if row else None
