"""Delivery-ledger use cases for staff: read the ledger and send a failed or dead message again."""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.delivery import db as ledger
from services.notifications.delivery.domain import CHANNELS, STATUSES, choice, endpoint_not_active, not_retryable
from services.notifications.permissions import PERMISSIONS, Capability
from services.notifications.webhooks import db as hooks
from services.notifications.webhooks.domain import ACTIVE
from shared.principal import Principal
from shared.refusals import Refusal, not_found


def _unknown() -> Refusal:
    return not_found("پیام", "Delivery")


async def list_deliveries(conn: AsyncConnection, principal: Principal, *, limit: int, offset: int,
                          event_id: uuid.UUID | None = None, status: str | None = None, channel: str | None = None,
                          event_type: str | None = None, rule: str | None = None, recipient: str | None = None,
                          since: datetime | None = None, until: datetime | None = None) -> list[dict]:
    """The ledger, newest first, filtered by event, status, channel, event type, rule, recipient or age."""
    PERMISSIONS.require(principal, Capability.READ_LEDGER)
    return await ledger.list_deliveries(
        conn, limit=limit, offset=offset, event_id=event_id, status=choice(status, STATUSES, "status"),
        channel=choice(channel, CHANNELS, "channel"), event_type=event_type, rule=rule, recipient=recipient,
        since=since, until=until)


async def delivery_counts(conn: AsyncConnection, principal: Principal, *, channel: str | None = None,
                          event_type: str | None = None, recipient: str | None = None,
                          since: datetime | None = None, until: datetime | None = None) -> dict[str, int]:
    """How many rows of each status (every status, zero when none) match the filters other than status."""
    PERMISSIONS.require(principal, Capability.READ_LEDGER)
    counts = await ledger.status_counts(conn, channel=choice(channel, CHANNELS, "channel"), event_type=event_type,
                                        recipient=recipient, since=since, until=until)
    return {status: counts.get(status, 0) for status in STATUSES}


async def delivery_summary(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """Counts per channel and status, with the oldest row of each."""
    PERMISSIONS.require(principal, Capability.READ_LEDGER)
    return await ledger.summary(conn)


async def get_delivery(conn: AsyncConnection, principal: Principal, delivery_id: uuid.UUID) -> dict:
    """One ledger row, with why it failed if it did."""
    PERMISSIONS.require(principal, Capability.READ_LEDGER)
    row = await ledger.get_delivery(conn, delivery_id=delivery_id)
    if row is None:
        raise _unknown()
    return row


async def retry_delivery(conn: AsyncConnection, principal: Principal, delivery_id: uuid.UUID) -> dict:
    """Send a failed or dead row again now, with a fresh count of attempts; the row as it is now."""
    PERMISSIONS.require(principal, Capability.RETRY_DELIVERY)
    row = await ledger.get_delivery(conn, delivery_id=delivery_id)
    if row is not None and row["webhook_id"] is not None:
        hook = await hooks.get_webhook(conn, webhook_id=row["webhook_id"])
        if hook is None or hook["status"] != ACTIVE:
            raise endpoint_not_active()
    if not await ledger.requeue(conn, delivery_id=delivery_id):
        if await ledger.get_delivery(conn, delivery_id=delivery_id) is None:
            raise _unknown()
        raise not_retryable()
    return await ledger.get_delivery(conn, delivery_id=delivery_id)
