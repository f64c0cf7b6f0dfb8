"""Reads of a round's history for its pages: assignments that ended, and the works an evaluator gave up for a
conflict of interest (both are gone from the live plan, so the progress pages ask for them here)."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.db import conflicts
from services.evaluation.db_rounds import assignments


async def ended_assignments(conn: AsyncConnection, *, round_id: uuid.UUID) -> list[dict]:
    """The round's ended assignments (reassigned, a declared conflict, an appointment ended), oldest first."""
    a = assignments
    rows = await conn.execute(select(a.c.work_id, a.c.evaluator_id, a.c.ended_at, a.c.ended_reason, a.c.replaced_by)
                              .where(a.c.round_id == round_id, a.c.ended_at.is_not(None)).order_by(a.c.ended_at))
    return [dict(r) for r in rows.mappings()]


async def conflicted_works(conn: AsyncConnection, *, round_id: uuid.UUID, person_id: uuid.UUID) -> list[uuid.UUID]:
    """Works of the round the person declared a conflict with (the declaration took the work from them, so it is
    found among the round's works, whoever holds it now)."""
    in_round = select(assignments.c.work_id).where(assignments.c.round_id == round_id)
    rows = await conn.execute(select(conflicts.c.work_id).where(conflicts.c.person_id == person_id,
                                                                conflicts.c.work_id.in_(in_round)))
    return sorted({r[0] for r in rows}, key=str)
