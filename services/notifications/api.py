"""Notifications HTTP interface: the delivery ledger and the rules (city-wide staff: it names recipients)."""

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifications import db_ledger
from services.notifications.domain import CHANNELS, DEFAULT_RULES, STATUSES
from shared.auth import signed_in
from shared.principal import Principal
from shared.refusals import Kind, Refusal, forbidden, not_found


class DeliveryOut(BaseModel):
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


class RuleOut(BaseModel):
    name: str
    event_type: str
    audience: str
    channels: list[str]
    essential: bool
    scope: str
    description: str


async def city_wide_staff(principal: Principal = Depends(signed_in)) -> Principal:
    """Dependency: the festival secretary or central secretariat staff."""
    if not principal.is_city_wide():
        raise forbidden()
    return principal


def _choice(value: str | None, allowed: tuple[str, ...], name: str) -> str | None:
    if value is not None and value not in allowed:
        raise Refusal(Kind.INVALID, "invalid_input", f"مقدار {name} معتبر نیست.", f"Unknown {name}.",
                       {"allowed": list(allowed)})
    return value


def build_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine."""
    router = APIRouter(tags=["deliveries"])

    @router.get("/deliveries", response_model=list[DeliveryOut])
    async def list_deliveries(
        _: Principal = Depends(city_wide_staff),
        event_id: uuid.UUID | None = None,
        status: str | None = None,
        channel: str | None = None,
        event_type: str | None = None,
        rule: str | None = None,
        recipient: str | None = None,
        since: datetime | None = None,
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
    ) -> list[DeliveryOut]:
        """The delivery ledger, newest first, filtered by event, status, channel, event type, rule or recipient."""
        async with engine.connect() as conn:
            rows = await db_ledger.list_deliveries(
                conn, limit=limit, offset=offset, event_id=event_id, status=_choice(status, STATUSES, "status"),
                channel=_choice(channel, CHANNELS, "channel"), event_type=event_type, rule=rule,
                recipient=recipient, since=since)
        return [DeliveryOut(**row) for row in rows]

    @router.get("/deliveries/summary")
    async def delivery_summary(_: Principal = Depends(city_wide_staff)) -> list[dict]:
        """Counts per channel and status."""
        async with engine.connect() as conn:
            return await db_ledger.summary(conn)

    @router.get("/deliveries/{delivery_id}", response_model=DeliveryOut)
    async def get_delivery(delivery_id: uuid.UUID, _: Principal = Depends(city_wide_staff)) -> DeliveryOut:
        """One ledger row, with why it failed if it did."""
        async with engine.connect() as conn:
            row = await db_ledger.get_delivery(conn, delivery_id=delivery_id)
        if row is None:
            raise not_found("پیام", "Delivery")
        return DeliveryOut(**row)

    @router.post("/deliveries/{delivery_id}/retry", response_model=DeliveryOut)
    async def retry_delivery(delivery_id: uuid.UUID, _: Principal = Depends(city_wide_staff)) -> DeliveryOut:
        """Send a dead or failed row again now, with a fresh count of attempts."""
        async with engine.begin() as conn:
            if not await db_ledger.requeue(conn, delivery_id=delivery_id):
                if await db_ledger.get_delivery(conn, delivery_id=delivery_id) is None:
                    raise not_found("پیام", "Delivery")
                raise Refusal(Kind.CONFLICT, "not_retryable", "فقط پیام‌های ناموفق دوباره فرستاده می‌شوند.",
                               "Only failed or dead deliveries can be retried.")
            return DeliveryOut(**await db_ledger.get_delivery(conn, delivery_id=delivery_id))

    @router.get("/rules", response_model=list[RuleOut], tags=["rules"])
    async def rules(_: Principal = Depends(signed_in)) -> list[RuleOut]:
        """Who hears about which event, on which channels; essential messages ignore opt-outs."""
        return [RuleOut(name=r.name, event_type=r.event_type, audience=r.audience.value, channels=list(r.channels),
                        essential=r.essential, scope=r.scope, description=r.description) for r in DEFAULT_RULES]

    return router
