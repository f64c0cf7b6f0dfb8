"""Ledger use cases: keep every event, let city-wide staff query and verify it, and feed public events out."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.ledger import db
from services.registry.ledger.domain import GENESIS, Verdict, public_page, verify
from services.registry.permissions import PERMISSIONS, Capability
from shared.messaging.inbox import Envelope
from shared.messaging.topology import PUBLIC_EXCHANGE
from shared.principal import Principal

VERIFY_BATCH = 2_000


async def record(conn: AsyncConnection, envelope: Envelope, payload: dict) -> None:
    """Keep the event, as it was published, in the append-only ledger."""
    await db.append(conn, values={
        "event_id": envelope.message_id, "event_type": envelope.event_type, "routing_key": envelope.routing_key,
        "exchange": envelope.exchange, "correlation_id": envelope.correlation_id,
        "causation_id": envelope.causation_id, "payload": payload,
    })


async def entries(conn: AsyncConnection, principal: Principal, *, event_type: str | None, district: int | None,
                  correlation_id: str | None, since: datetime | None, until: datetime | None, after_seq: int,
                  limit: int) -> list[dict]:
    """Every event the festival has seen, filtered by type, district, correlation id and time (city-wide staff)."""
    PERMISSIONS.require(principal, Capability.READ_LEDGER)
    return await db.query(conn, event_type=event_type, district=district, correlation_id=correlation_id,
                          since=since, until=until, after_seq=after_seq, limit=limit)


async def verify_ledger(conn: AsyncConnection, principal: Principal) -> Verdict:
    """Walk the hash chain for city-wide staff."""
    PERMISSIONS.require(principal, Capability.READ_LEDGER)
    return await verify_chain(conn)


async def verify_chain(conn: AsyncConnection) -> Verdict:
    """Verify the whole chain in batches; the first broken row is reported."""
    verdict, prev_hash, after = Verdict(0), GENESIS, 0
    while rows := await db.query(conn, after_seq=after, limit=VERIFY_BATCH):
        verdict = verify(rows, prev_hash, verdict.checked)
        if not verdict.ok:
            return verdict
        prev_hash, after = rows[-1]["hash"], rows[-1]["seq"]
    return verdict


async def public_events(conn: AsyncConnection, *, after_seq: int, limit: int) -> dict:
    """Public events from a position, for external systems catching up."""
    return public_page(await db.query(conn, exchange=PUBLIC_EXCHANGE, after_seq=after_seq, limit=limit), after_seq)
