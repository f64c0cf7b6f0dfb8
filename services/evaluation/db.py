"""Evaluation tables and keyword-only query functions."""

import uuid

from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, func, select
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import inbox_table, outbox_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

# Projection of submissions' works: what evaluation needs to know, nothing personal beyond it.
works = Table(
    "works", metadata,
    Column("work_id", UUID(as_uuid=True), primary_key=True),
    Column("district", Integer, nullable=False, index=True),
    Column("neighbourhood", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("projected_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


async def add_work(conn: AsyncConnection, *, values: dict) -> None:
    """Insert a received work; a second copy of the same work changes nothing."""
    await conn.execute(insert(works).values(**values).on_conflict_do_nothing(index_elements=["work_id"]))


async def list_works(conn: AsyncConnection, *, districts: set[int] | None, limit: int, offset: int) -> list[dict]:
    """Works of the given districts (all when None), newest first."""
    query = select(works).order_by(works.c.received_at.desc(), works.c.work_id).limit(limit).offset(offset)
    if districts is not None:
        query = query.where(works.c.district.in_(districts))
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def get_work(conn: AsyncConnection, *, work_id: uuid.UUID) -> dict | None:
    """One projected work."""
    row = (await conn.execute(select(works).where(works.c.work_id == work_id))).mappings().first()
    return dict(row) if row else None
