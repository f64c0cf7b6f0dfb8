"""The delivery ledger over HTTP (city-wide staff: it names recipients): list, summary, one row, retry."""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.notifications.delivery import usecases
from services.notifications.permissions import Capability
from services.notifications.web import Offset, allowed
from shared.fields import Line
from shared.principal import Principal
from shared.web.connection import Reading, Transaction
from shared.web.jalali import JalaliModel

router = APIRouter(tags=["deliveries"])
Reader = Annotated[Principal, Depends(allowed(Capability.READ_LEDGER))]
Retrier = Annotated[Principal, Depends(allowed(Capability.RETRY_DELIVERY))]


class DeliveryOut(JalaliModel):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    rule: str | None
    recipient: str
    channel: str
    subject: str | None
    body: str
    status: str
    essential: bool
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


class SummaryRowOut(JalaliModel):
    channel: str
    status: str
    count: int
    oldest: datetime


@router.get("/deliveries", response_model=list[DeliveryOut])
async def list_deliveries(
    principal: Reader,
    conn: Reading,
    event_id: uuid.UUID | None = None,
    status: Line | None = None,
    channel: Line | None = None,
    event_type: Line | None = None,
    rule: Line | None = None,
    recipient: Line | None = None,
    since: datetime | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
) -> list[DeliveryOut]:
    """The delivery ledger, newest first, filtered by event, status, channel, event type, rule or recipient."""
    rows = await usecases.list_deliveries(
        conn, principal, limit=limit, offset=offset, event_id=event_id, status=status, channel=channel,
        event_type=event_type, rule=rule, recipient=recipient, since=since)
    return [DeliveryOut(**row) for row in rows]


@router.get("/deliveries/summary", response_model=list[SummaryRowOut])
async def delivery_summary(principal: Reader, conn: Reading) -> list[SummaryRowOut]:
    """Counts per channel and status, with the oldest row's creation time."""
    return [SummaryRowOut(**row) for row in await usecases.delivery_summary(conn, principal)]


@router.get("/deliveries/{delivery_id}", response_model=DeliveryOut)
async def get_delivery(delivery_id: uuid.UUID, principal: Reader, conn: Reading) -> DeliveryOut:
    """One ledger row, with why it failed if it did."""
    return DeliveryOut(**await usecases.get_delivery(conn, principal, delivery_id))


@router.post("/deliveries/{delivery_id}/retry", response_model=DeliveryOut)
async def retry_delivery(delivery_id: uuid.UUID, principal: Retrier, conn: Transaction) -> DeliveryOut:
    """Send a dead or failed row again now, with a fresh count of attempts."""
    return DeliveryOut(**await usecases.retry_delivery(conn, principal, delivery_id))
