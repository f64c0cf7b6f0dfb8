"""Keyword-only queries of the pages' drafts of works and the documents chosen with them."""

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.db import draft_documents, work_drafts

_DOCUMENT_META = [c for c in draft_documents.c if c.name != "content"]


async def get_draft(conn: AsyncConnection, *, draft_id: uuid.UUID, for_update: bool = False) -> dict | None:
    """A draft (its body as typed, its author, whether it looked like a duplicate)."""
    query = select(work_drafts).where(work_drafts.c.id == draft_id)
    row = (await conn.execute(query.with_for_update() if for_update else query)).mappings().first()
    return dict(row) if row else None


async def documents(conn: AsyncConnection, *, draft_id: uuid.UUID, with_content: bool = False) -> list[dict]:
    """The documents chosen with a draft, in the order they were chosen (their bytes only when asked)."""
    columns = list(draft_documents.c) if with_content else _DOCUMENT_META
    rows = await conn.execute(select(*columns).where(draft_documents.c.draft_id == draft_id)
                              .order_by(draft_documents.c.position))
    return [dict(r) for r in rows.mappings()]


async def insert_draft(conn: AsyncConnection, *, values: dict) -> None:
    """Keep a new draft."""
    await conn.execute(work_drafts.insert().values(**values))


async def update_draft(conn: AsyncConnection, *, draft_id: uuid.UUID, values: dict) -> None:
    """Replace what a draft holds."""
    await conn.execute(work_drafts.update().where(work_drafts.c.id == draft_id).values(**values))


async def add_documents(conn: AsyncConnection, *, draft_id: uuid.UUID, rows: list[dict]) -> None:
    """Keep documents with a draft, after those it already has."""
    if not rows:
        return
    last = (await conn.execute(select(func.coalesce(func.max(draft_documents.c.position), 0))
                               .where(draft_documents.c.draft_id == draft_id))).scalar_one()
    await conn.execute(draft_documents.insert(), [
        {**row, "id": uuid.uuid4(), "draft_id": draft_id, "position": last + index}
        for index, row in enumerate(rows, start=1)])


async def remove_documents(conn: AsyncConnection, *, draft_id: uuid.UUID, keep: set[uuid.UUID]) -> None:
    """Forget the draft's documents except those to keep."""
    await conn.execute(draft_documents.delete().where(draft_documents.c.draft_id == draft_id,
                                                      draft_documents.c.id.notin_(keep or {uuid.UUID(int=0)})))


async def delete_draft(conn: AsyncConnection, *, draft_id: uuid.UUID) -> None:
    """Forget a draft and its documents."""
    await conn.execute(work_drafts.delete().where(work_drafts.c.id == draft_id))


async def delete_older(conn: AsyncConnection, *, than: datetime) -> None:
    """Forget drafts begun before a moment (and their documents)."""
    await conn.execute(work_drafts.delete().where(work_drafts.c.created_at < than))
