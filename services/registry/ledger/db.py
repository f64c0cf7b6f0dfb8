"""The festival ledger table and its checkpoints: append (chained, serialised), query and count; keyword-only."""

import json
from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Integer, Text, bindparam, cast, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.ledger.domain import GENESIS, sealer
from services.registry.tables import ledger, ledger_checkpoints
from shared.messaging.topology import INTERNAL_EXCHANGE

LEDGER_LOCK = 7_405_003
CHECKPOINT_LOCK = 7_405_004
_APPENDED = ("seq", "event_id", "event_type", "routing_key", "exchange", "correlation_id", "causation_id",
             "prev_hash", "hash")
# A batch of rows in one statement, prepared once whatever its size: one array per column.
_APPEND = text(
    "INSERT INTO ledger (seq, event_id, event_type, routing_key, exchange, correlation_id, causation_id, payload, "
    "recorded_at, prev_hash, hash) SELECT s, i, t, r, x, c, k, p::jsonb, :recorded_at, ph, h FROM unnest("
    ":seq, :event_id, :event_type, :routing_key, :exchange, :correlation_id, :causation_id, :payload, :prev_hash, "
    ":hash) AS u(s, i, t, r, x, c, k, p, ph, h)"
).bindparams(bindparam("seq", type_=ARRAY(BigInteger)), bindparam("recorded_at", type_=DateTime(timezone=True)),
             *(bindparam(name, type_=ARRAY(Text)) for name in (*_APPENDED[1:], "payload")))


async def append_all(conn: AsyncConnection, *, rows: list[dict]) -> None:
    """Append events in order, each chained to the one before; appends are serialised by an advisory lock, taken
    once for the whole batch, and the rows go in as one statement."""
    if not rows:
        return
    rows = [{"correlation_id": None, "causation_id": None, **values} for values in rows]
    # Before the lock, what does not depend on the chain's head: the JSON, the dearest part of sealing.
    sealers, payloads = [sealer(row) for row in rows], [json.dumps(row["payload"], ensure_ascii=False) for row in rows]
    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LEDGER_LOCK})
    # Under the lock the last row is the chain's head: the new rows follow its seq (no gaps, no sequence round trip).
    head = (await conn.execute(select(ledger.c.seq, ledger.c.hash).order_by(ledger.c.seq.desc()).limit(1))).first()
    last_seq, prev_hash = head or (0, GENESIS)
    seqs, recorded_at, chain = list(range(last_seq + 1, last_seq + 1 + len(rows))), datetime.now(UTC), []
    for seq, seal_at in zip(seqs, sealers, strict=True):
        chain.append(prev_hash)
        prev_hash = seal_at(prev_hash, seq, recorded_at)
    await conn.execute(_APPEND, {"recorded_at": recorded_at, "seq": seqs, "payload": payloads,
                                 "prev_hash": chain, "hash": [*chain[1:], prev_hash],
                                 **{column: [row[column] for row in rows] for column in _APPENDED[1:-2]}})


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
        statement = statement.where(_district() == district)
    if correlation_id:
        statement = statement.where(ledger.c.correlation_id == correlation_id)
    if since:
        statement = statement.where(ledger.c.recorded_at >= since)
    if until:
        statement = statement.where(ledger.c.recorded_at < until)
    if exchange:
        statement = statement.where(ledger.c.exchange == exchange)
    return [dict(r) for r in (await conn.execute(statement)).mappings()]


def _district():
    return cast(ledger.c.payload["district"].astext, Integer)


async def count_by(conn: AsyncConnection, *, event_type: str, district: int, field: str,
                   since: datetime | None = None, until: datetime | None = None) -> dict[str, int]:
    """How many internal events of a type the district had, grouped by a payload field (e.g. category)."""
    key = ledger.c.payload[field].astext
    statement = (select(key, func.count()).where(
        ledger.c.event_type == event_type, ledger.c.exchange == INTERNAL_EXCHANGE, _district() == district)
        .group_by(key))
    if since:
        statement = statement.where(ledger.c.recorded_at >= since)
    if until:
        statement = statement.where(ledger.c.recorded_at < until)
    return {row[0]: row[1] for row in await conn.execute(statement)}


async def count_by_district(conn: AsyncConnection, *, event_type: str, field: str) -> dict[int, dict[str, int]]:
    """How many internal events of a type each district had, per value of a payload field (e.g. category), in one
    query."""
    district, key = _district(), ledger.c.payload[field].astext
    statement = (select(district, key, func.count()).where(
        ledger.c.event_type == event_type, ledger.c.exchange == INTERNAL_EXCHANGE, district.is_not(None))
        .group_by(district, key))
    found: dict[int, dict[str, int]] = {}
    for row in await conn.execute(statement):
        found.setdefault(row[0], {})[row[1]] = row[2]
    return found


async def head(conn: AsyncConnection) -> dict | None:
    """The newest row's seq and hash (None for an empty ledger)."""
    row = (await conn.execute(select(ledger.c.seq, ledger.c.hash).order_by(ledger.c.seq.desc()).limit(1))).first()
    return {"seq": row.seq, "hash": row.hash} if row else None


async def recorded_since(conn: AsyncConnection, *, after_seq: int, besides: str) -> bool:
    """True when a row of another type than `besides` came after the position."""
    statement = select(ledger.c.seq).where(ledger.c.seq > after_seq, ledger.c.event_type != besides).limit(1)
    return (await conn.execute(statement)).first() is not None


async def lock_checkpoints(conn: AsyncConnection) -> None:
    """Replicas checkpoint one at a time (for the rest of the transaction)."""
    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHECKPOINT_LOCK})


async def add_checkpoint(conn: AsyncConnection, *, checkpoint: dict) -> None:
    """Keep a signed checkpoint."""
    await conn.execute(ledger_checkpoints.insert().values(**checkpoint))


async def checkpoints(conn: AsyncConnection) -> list[dict]:
    """Every checkpoint, in seq order."""
    rows = await conn.execute(select(ledger_checkpoints).order_by(ledger_checkpoints.c.seq))
    return [dict(r) for r in rows.mappings()]


async def last_checkpoint(conn: AsyncConnection) -> dict | None:
    """The newest checkpoint."""
    row = (await conn.execute(select(ledger_checkpoints).order_by(ledger_checkpoints.c.seq.desc()).limit(1)))
    return dict(found) if (found := row.mappings().first()) else None


async def of_type(conn: AsyncConnection, *, event_type: str) -> list[dict]:
    """Every row of an event type (seq, event id, payload, when recorded), in seq order."""
    statement = (select(ledger.c.seq, ledger.c.event_id, ledger.c.payload, ledger.c.recorded_at)
                 .where(ledger.c.event_type == event_type).order_by(ledger.c.seq))
    return [dict(r) for r in (await conn.execute(statement)).mappings()]


async def first_with(conn: AsyncConnection, *, event_type: str, field: str, value: str) -> dict | None:
    """The first row of an event type whose payload field holds the value (seq, payload, when recorded)."""
    statement = (select(ledger.c.seq, ledger.c.payload, ledger.c.recorded_at)
                 .where(ledger.c.event_type == event_type, ledger.c.payload[field].astext == value)
                 .order_by(ledger.c.seq).limit(1))
    return dict(found) if (found := (await conn.execute(statement)).mappings().first()) else None
