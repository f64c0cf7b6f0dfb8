"""The festival ledger table: append-only (a trigger refuses changes), hash-chained, queryable."""

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, DateTime, Integer, Table, Text, cast, func, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.db import metadata
from services.registry.ledger import GENESIS, Verdict, seal, verify

LEDGER_LOCK = 7_405_003
VERIFY_BATCH = 2_000

ledger = Table(
    "ledger", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=True),
    Column("event_id", Text, nullable=False, unique=True),
    Column("event_type", Text, nullable=False),
    Column("routing_key", Text, nullable=False),
    Column("exchange", Text, nullable=False),
    Column("correlation_id", Text),
    Column("causation_id", Text),
    Column("payload", JSONB, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),
)


async def append(conn: AsyncConnection, *, values: dict) -> None:
    """Append one event, chained to the last row; appends are serialised by an advisory lock."""
    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LEDGER_LOCK})
    last = (await conn.execute(select(ledger.c.hash).order_by(ledger.c.seq.desc()).limit(1))).scalar()
    seq = (await conn.execute(select(func.nextval("ledger_seq_seq")))).scalar_one()
    row = {"correlation_id": None, "causation_id": None, **values, "seq": seq,
           "recorded_at": datetime.now(UTC)}
    prev_hash = last or GENESIS
    await conn.execute(ledger.insert().values(**row, prev_hash=prev_hash, hash=seal(prev_hash, row)))


async def query(
    conn: AsyncConnection, *, event_type: str | None = None, district: int | None = None,
    correlation_id: str | None = None, since: datetime | None = None, until: datetime | None = None,
    exchange: str | None = None, after_seq: int = 0, limit: int = 100,
) -> list[dict]:
    """Ledger rows matching every filter given, in seq order after a position."""
    statement = select(ledger).where(ledger.c.seq > after_seq).order_by(ledger.c.seq).limit(limit)
    if event_type:
        statement = statement.where(ledger.c.event_type == event_type)
    if district is not None:
        statement = statement.where(cast(ledger.c.payload["district"].astext, Integer) == district)
    if correlation_id:
        statement = statement.where(ledger.c.correlation_id == correlation_id)
    if since:
        statement = statement.where(ledger.c.recorded_at >= since)
    if until:
        statement = statement.where(ledger.c.recorded_at < until)
    if exchange:
        statement = statement.where(ledger.c.exchange == exchange)
    return [dict(r) for r in (await conn.execute(statement)).mappings()]


async def verify_all(conn: AsyncConnection) -> Verdict:
    """Verify the whole chain in batches; the first broken row is reported."""
    verdict, prev_hash, after = Verdict(0), GENESIS, 0
    while True:
        rows = [dict(r) for r in (await conn.execute(
            select(ledger).where(ledger.c.seq > after).order_by(ledger.c.seq).limit(VERIFY_BATCH))).mappings()]
        if not rows:
            return verdict
        verdict = verify(rows, prev_hash, verdict.checked)
        if not verdict.ok:
            return verdict
        prev_hash, after = rows[-1]["hash"], rows[-1]["seq"]


async def count_by(conn: AsyncConnection, *, event_type: str, district: int, field: str,
                   since: datetime | None = None, until: datetime | None = None) -> dict[str, int]:
    """How many events of a type the district had, grouped by a payload field (e.g. category)."""
    key = ledger.c.payload[field].astext
    statement = (select(key, func.count()).where(
        ledger.c.event_type == event_type, ledger.c.exchange == "hami.internal",
        cast(ledger.c.payload["district"].astext, Integer) == district).group_by(key))
    if since:
        statement = statement.where(ledger.c.recorded_at >= since)
    if until:
        statement = statement.where(ledger.c.recorded_at < until)
    return {row[0]: row[1] for row in await conn.execute(statement)}
