"""Evaluation consumers: keeps its projection of the works received."""

from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db
from services.evaluation.domain import AWAITING_TIER_1
from shared.contracts.submissions import WorkReceived


async def on_work_received(conn: AsyncConnection, event: WorkReceived) -> None:
    """A work was received: it now waits for its district's tier-1 round."""
    await db.add_work(conn, values={
        "work_id": event.work_id, "district": event.district, "neighbourhood": event.neighbourhood,
        "category": event.category, "title": event.title, "status": AWAITING_TIER_1,
        "received_at": event.occurred_at,
    })


def handlers() -> dict:
    """Event type -> (contract, handler) for this service's queue."""
    return {WorkReceived.event_type(): (WorkReceived, on_work_received)}
