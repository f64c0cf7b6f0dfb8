"""Decisions flowing down: issue, relay, acknowledge, implement, and the overdue check (with their events)."""

import uuid
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry import db, db_decisions
from services.registry.domain_decisions import next_status
from shared.contracts.registry import (
    DecisionAcknowledged,
    DecisionImplemented,
    DecisionOverdue,
    DecisionRelayed,
)
from shared.messaging.outbox import add_events
from shared.refusals import not_found

log = structlog.get_logger("decisions")
STEP_EVENTS = {"relay": DecisionRelayed, "acknowledge": DecisionAcknowledged, "implement": DecisionImplemented}


async def take_step(conn: AsyncConnection, *, decision_id: uuid.UUID, district: int, step: str, note: str,
                    ack_deadline: datetime) -> None:
    """Move one district's copy of a decision one step on, and queue the step's event."""
    row = await db_decisions.district_row(conn, decision_id=decision_id, district=district)
    if row is None:
        raise not_found("مصوبه برای این منطقه", "Decision for this district")
    status = next_status(row["status"], step)
    await db_decisions.record_step(conn, decision_id=decision_id, district=district, step=step, status=status,
                                   note=note)
    extra = {"ack_deadline": ack_deadline} if step == "relay" else {}
    await add_events(conn, db.outbox, [STEP_EVENTS[step](decision_id=decision_id, district=district, note=note,
                                                         **extra)], correlation_id=str(decision_id))


async def check_overdue(engine: AsyncEngine) -> int:
    """Mark and announce acknowledgements past their deadline; returns how many were found."""
    async with engine.begin() as conn:
        rows = await db_decisions.claim_overdue(conn, now=datetime.now(UTC))
        await add_events(conn, db.outbox, [
            DecisionOverdue(decision_id=r["decision_id"], district=r["district"], ack_deadline=r["ack_deadline"])
            for r in rows])
    if rows:
        log.info("decisions.overdue", count=len(rows))
    return len(rows)
