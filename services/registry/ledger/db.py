"""The festival ledger table and its checkpoints: append (chained, serialised), query and count; keyword-only."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, Text, bindparam, cast, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.ledger.domain import GENESIS, unsealed
from services.registry.tables import ledger, ledger_checkpoints
from shared.messaging.topology import INTERNAL_EXCHANGE

LEDGER_LOCK = 7_405_003
CHECKPOINT_LOCK = 7_405_004
# Lock, head, numbering, hashes and insert in one call (registry migration 0012).
_APPEND = text("SELECT ledger_append(:lock_key, :genesis, :recorded_at, :unsealed)").bindparams(
    bindparam("recorded_at", type_=DateTime(timezone=True)), bindparam("unsealed", type_=ARRAY(Text)))


async def append_all(conn: AsyncConnection, *, rows: list[dict]) -> None:
    """Append events in order, each chained to the one before. The database takes the append lock, numbers the rows
    after the chain's head, seals them and stores their fields, in one call, so appends wait on each other only
    while PostgreSQL works; the JSON each hash covers, the dearest part, is made here first."""
    if not rows:
        return
    recorded_at = datetime.now(UTC)
    await conn.execute(_APPEND, {"lock_key": LEDGER_LOCK, "genesis": GENESIS, "recorded_at": recorded_at, "unsealed": [
        unsealed({"correlation_id": None, "causation_id": None, **row}, recorded_at) for row in rows]})


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
