"""Decisions and their per-district relay, acknowledgement and implementation."""

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.db import metadata
from services.registry.domain_decisions import UNACKNOWLEDGED

decisions = Table(
    "decisions", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("title", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("issuing_body", Text, ForeignKey("bodies.code"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("all_districts", Boolean, nullable=False),
    Column("districts", ARRAY(Integer), nullable=False),
    Column("committees", ARRAY(Text), nullable=False),
    Column("ack_deadline", DateTime(timezone=True), nullable=False),
    Column("parameters", JSONB),
    Column("issued_by", Text, nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

decision_districts = Table(
    "decision_districts", metadata,
    Column("decision_id", UUID(as_uuid=True), ForeignKey("decisions.id"), nullable=False),
    Column("district", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("relay_note", Text),
    Column("relayed_at", DateTime(timezone=True)),
    Column("ack_note", Text),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("implemented_note", Text),
    Column("implemented_at", DateTime(timezone=True)),
    Column("overdue_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("decision_id", "district"),
)

# What each step writes besides the status.
STEP_COLUMNS = {"relay": ("relay_note", "relayed_at"), "acknowledge": ("ack_note", "acknowledged_at"),
                "implement": ("implemented_note", "implemented_at")}


async def insert_decision(conn: AsyncConnection, *, values: dict) -> None:
    """Store a decision and a row per addressed district (status 'issued')."""
    await conn.execute(decisions.insert().values(**values))
    await conn.execute(decision_districts.insert(), [
        {"decision_id": values["id"], "district": d, "status": "issued"} for d in values["districts"]])


async def get_decision(conn: AsyncConnection, *, decision_id: uuid.UUID) -> dict | None:
    """A decision with its per-district rows."""
    row = (await conn.execute(select(decisions).where(decisions.c.id == decision_id))).mappings().first()
    if row is None:
        return None
    rows = await conn.execute(select(decision_districts).where(decision_districts.c.decision_id == decision_id)
                              .order_by(decision_districts.c.district))
    return {**row, "per_district": [dict(r) for r in rows.mappings()]}


async def district_row(conn: AsyncConnection, *, decision_id: uuid.UUID, district: int) -> dict | None:
    """One district's row of a decision, locked for the step about to change it."""
    row = (await conn.execute(select(decision_districts).where(
        decision_districts.c.decision_id == decision_id, decision_districts.c.district == district)
        .with_for_update())).mappings().first()
    return dict(row) if row else None


async def record_step(conn: AsyncConnection, *, decision_id: uuid.UUID, district: int, step: str,
                      status: str, note: str) -> None:
    """Write a district's new status with the step's note and time."""
    note_column, time_column = STEP_COLUMNS[step]
    await conn.execute(update(decision_districts).where(
        decision_districts.c.decision_id == decision_id, decision_districts.c.district == district)
        .values({"status": status, note_column: note, time_column: func.now()}))


async def claim_overdue(conn: AsyncConnection, *, now: datetime) -> list[dict]:
    """Mark unacknowledged rows past their deadline overdue and return them.

    A competing replica's UPDATE waits on the row locks and then finds overdue_at set: each row is
    claimed once.
    """
    dd = decision_districts
    rows = await conn.execute(
        update(dd).where(dd.c.decision_id == decisions.c.id, dd.c.status.in_(UNACKNOWLEDGED),
                         dd.c.overdue_at.is_(None), decisions.c.ack_deadline < now)
        .values(overdue_at=now).returning(dd.c.decision_id, dd.c.district, decisions.c.ack_deadline))
    return [dict(r) for r in rows.mappings()]


async def list_decisions(conn: AsyncConnection, *, district: int | None, limit: int, offset: int) -> list[dict]:
    """Decisions newest first (only those addressed to the district, when one is given)."""
    statement = select(decisions).order_by(decisions.c.issued_at.desc()).limit(limit).offset(offset)
    if district is not None:
        statement = statement.where(decisions.c.districts.any(district))
    return [dict(r) for r in (await conn.execute(statement)).mappings()]


async def district_decision_counts(conn: AsyncConnection, *, district: int) -> dict[str, int]:
    """How many of the district's decisions are acknowledged (or further), pending, and overdue."""
    rows = (await conn.execute(select(decision_districts.c.status, decision_districts.c.overdue_at)
                               .where(decision_districts.c.district == district))).all()
    pending = [r for r in rows if r.status in UNACKNOWLEDGED]
    return {"addressed": len(rows), "acknowledged": len(rows) - len(pending), "pending": len(pending),
            "overdue": sum(r.overdue_at is not None for r in pending)}
