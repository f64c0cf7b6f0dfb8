"""Queries of the staff inbox: add an item, read one's own, count and mark read."""

import uuid

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.db import inbox_items

ITEM_COLUMNS = ("delivery_id", "person_id", "event_id", "event_type", "title", "body", "link_service", "link_path")
# Every inbox item of an event in one statement, compiled once.
ADD_INBOX_ITEMS = text(
    "INSERT INTO inbox_items (delivery_id, person_id, event_id, event_type, title, body, link_service, link_path) "
    "SELECT * FROM unnest(:delivery_id, :person_id, :event_id, :event_type, :title, :body, :link_service, "
    ":link_path) ON CONFLICT DO NOTHING"
).bindparams(*(bindparam(name, type_=ARRAY(inbox_items.c[name].type)) for name in ITEM_COLUMNS))


async def add_inbox_items(conn: AsyncConnection, *, items: list[dict]) -> None:
    """Put messages in people's inboxes (each item gives every column in ITEM_COLUMNS)."""
    if items:
        await conn.execute(ADD_INBOX_ITEMS, {name: [item[name] for item in items]
                                             for name in ITEM_COLUMNS})


async def inbox(conn: AsyncConnection, *, person_id: uuid.UUID, unread_only: bool, limit: int,
                offset: int) -> list[dict]:
    """A person's inbox, newest first."""
    query = (select(inbox_items).where(inbox_items.c.person_id == person_id)
             .order_by(inbox_items.c.created_at.desc(), inbox_items.c.id).limit(limit).offset(offset))
    if unread_only:
        query = query.where(inbox_items.c.read_at.is_(None))
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def unread_count(conn: AsyncConnection, *, person_id: uuid.UUID) -> int:
    """How many of a person's inbox items are unread."""
    return (await conn.execute(select(func.count()).where(
        inbox_items.c.person_id == person_id, inbox_items.c.read_at.is_(None)))).scalar_one()


async def size(conn: AsyncConnection, *, person_id: uuid.UUID) -> int:
    """How many items a person's inbox holds, read or not."""
    return (await conn.execute(select(func.count()).where(inbox_items.c.person_id == person_id))).scalar_one()


async def mark_read(conn: AsyncConnection, *, person_id: uuid.UUID, item_id: uuid.UUID | None = None) -> int:
    """Mark one of a person's items (or all) read; returns how many belonged to them."""
    query = update(inbox_items).where(inbox_items.c.person_id == person_id)
    if item_id is not None:
        query = query.where(inbox_items.c.id == item_id)
    else:
        query = query.where(inbox_items.c.read_at.is_(None))
    result = await conn.execute(query.values(read_at=func.coalesce(inbox_items.c.read_at, func.now())))
    return result.rowcount
