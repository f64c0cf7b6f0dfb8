"""Registry consumers: the festival ledger records every event, internal and public."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry import db_ledger
from shared.messaging.handlers import HandlerTable
from shared.messaging.inbox import Envelope


async def record_in_ledger(conn: AsyncConnection, envelope: Envelope, payload: dict) -> None:
    """Keep the event, as it was published, in the append-only ledger."""
    await db_ledger.append(conn, values={
        "event_id": envelope.message_id, "event_type": envelope.event_type, "routing_key": envelope.routing_key,
        "exchange": envelope.exchange, "correlation_id": envelope.correlation_id,
        "causation_id": envelope.causation_id, "payload": payload,
    })


# The ledger keeps every event of both exchanges; no typed handler yet.
TABLE = HandlerTable("registry", handlers={}, every_internal=True, every_public=True)
