"""Notifications HTTP interface: the delivery ledger."""

import uuid
from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from services.notifications import db
from shared.auth import Principal, signed_in
from shared.errors import forbidden


class DeliveryOut(BaseModel):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    recipient: str
    channel: str
    body: str
    status: str
    created_at: datetime
    sent_at: datetime | None


def build_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine."""
    router = APIRouter(tags=["deliveries"])

    @router.get("/deliveries", response_model=list[DeliveryOut])
    async def list_deliveries(
        principal: Principal = Depends(signed_in),
        event_id: uuid.UUID | None = None,
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
    ) -> list[DeliveryOut]:
        """The delivery ledger (city-wide staff only: it names recipients)."""
        if not principal.is_city_wide():
            raise forbidden()
        async with engine.connect() as conn:
            rows = await db.list_deliveries(conn, event_id=event_id, limit=limit, offset=offset)
        return [DeliveryOut(**row) for row in rows]

    return router
