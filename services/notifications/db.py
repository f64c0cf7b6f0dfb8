"""Notifications tables and keyword-only query functions."""

from sqlalchemy import Column, DateTime, MetaData, Table, Text, UniqueConstraint, func, select
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from shared.db import inbox_table, outbox_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

# The delivery ledger: one row per event, recipient and channel, never two.
deliveries = Table(
    "deliveries", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True, server_default=func.gen_random_uuid()),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", Text, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("event_id", "recipient", "channel"),
)


async def record_delivery(conn: AsyncConnection, *, values: dict) -> bool:
    """Add a ledger row; False when this event already reached this recipient on this channel."""
    result = await conn.execute(
        insert(deliveries).values(**values).on_conflict_do_nothing().returning(deliveries.c.id))
    return result.first() is not None


async def list_deliveries(conn: AsyncConnection, *, event_id=None, limit: int, offset: int) -> list[dict]:
    """Ledger rows, newest first, optionally for one event."""
    query = select(deliveries).order_by(deliveries.c.created_at.desc(), deliveries.c.id).limit(limit).offset(offset)
    if event_id is not None:
        query = query.where(deliveries.c.event_id == event_id)
    return [dict(r) for r in (await conn.execute(query)).mappings()]
