"""Keyword-only queries of a work's documents (their bytes are read only to download one)."""

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.db import documents

_DOCUMENT_META = [c for c in documents.c if c.name != "content"]


async def count_documents(conn: AsyncConnection, *, work_id: uuid.UUID) -> int:
    """Documents attached to a work (removed ones not counted)."""
    return (await conn.execute(select(func.count()).where(
        documents.c.work_id == work_id, documents.c.removed_at.is_(None)))).scalar_one()


async def insert_document(conn: AsyncConnection, *, values: dict) -> dict:
    """Store a checked document; returns its metadata."""
    row = (await conn.execute(documents.insert().values(**values).returning(*_DOCUMENT_META))).mappings().one()
    return dict(row)


async def list_documents(conn: AsyncConnection, *, work_id: uuid.UUID) -> list[dict]:
    """Metadata of a work's documents, in upload order."""
    rows = await conn.execute(select(*_DOCUMENT_META).where(
        documents.c.work_id == work_id, documents.c.removed_at.is_(None)).order_by(documents.c.uploaded_at))
    return [dict(r) for r in rows.mappings()]


async def get_document(conn: AsyncConnection, *, work_id: uuid.UUID, document_id: uuid.UUID,
                       with_content: bool = False) -> dict | None:
    """One live document of the work (its bytes only when asked)."""
    columns = list(documents.c) if with_content else _DOCUMENT_META
    row = (await conn.execute(select(*columns).where(
        documents.c.id == document_id, documents.c.work_id == work_id, documents.c.removed_at.is_(None),
    ))).mappings().first()
    return dict(row) if row else None


async def remove_document(conn: AsyncConnection, *, document_id: uuid.UUID, removed_by: str) -> None:
    """Hide a document from the work; its bytes stay in the archive."""
    await conn.execute(update(documents).where(documents.c.id == document_id)
                       .values(removed_at=func.now(), removed_by=removed_by))
