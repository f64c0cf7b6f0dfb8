"""Notifications consumers: turn events into ledger rows and deliver them."""

import structlog
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications import db
from services.notifications.domain import work_received_messages
from shared.contracts.submissions import WorkReceived

log = structlog.get_logger("notifications")


async def on_work_received(conn: AsyncConnection, event: WorkReceived) -> None:
    """Tell the submitter their tracking code (log channel in the skeleton)."""
    for message in work_received_messages(event):
        recorded = await db.record_delivery(conn, values={
            "event_id": event.event_id, "event_type": event.event_type(), "recipient": message.recipient,
            "channel": message.channel, "body": message.text, "status": "sent", "sent_at": func.now(),
        })
        if recorded:
            log.info("notification.sent", channel=message.channel, text=message.text)


def handlers() -> dict:
    """Event type -> (contract, handler) for this service's queue."""
    return {WorkReceived.event_type(): (WorkReceived, on_work_received)}
