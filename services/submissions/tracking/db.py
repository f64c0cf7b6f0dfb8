"""The queries of the public lookup: a work's status fields by its tracking code, and its statuses."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.db import status_history, works


async def find_by_tracking_code(conn: AsyncConnection, *, tracking_code: str) -> dict | None:
    """The status fields of the work with this tracking code, for the public lookup."""
    row = (await conn.execute(
        select(works.c.id, works.c.status, works.c.status_at, works.c.submitter_mobile)
        .where(works.c.tracking_code == tracking_code))).mappings().first()
    return dict(row) if row else None


async def statuses(conn: AsyncConnection, *, work_id: uuid.UUID) -> list[dict]:
    """A work's statuses and when each began, oldest first (nothing about who moved it)."""
    rows = await conn.execute(select(status_history.c.status, status_history.c.at)
                              .where(status_history.c.work_id == work_id).order_by(status_history.c.id))
    return [dict(r) for r in rows.mappings()]
