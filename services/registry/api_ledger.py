"""Registry HTTP interface: the festival ledger (staff), its verifier, and the public catch-up feed."""

from dataclasses import asdict
from datetime import datetime

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry import db_ledger
from shared.auth import signed_in
from shared.messaging.topology import PUBLIC_EXCHANGE
from shared.principal import Principal
from shared.refusals import forbidden

PUBLIC_FIELDS = ("seq", "event_id", "event_type", "routing_key", "payload", "recorded_at")


def _city_wide(principal: Principal) -> Principal:
    if not principal.is_city_wide():
        raise forbidden()
    return principal


def build_ledger_router(engine: AsyncEngine) -> APIRouter:
    """Routes bound to this service's engine."""
    router = APIRouter(tags=["ledger"])

    @router.get("/ledger")
    async def query(
        principal: Principal = Depends(signed_in), event_type: str | None = None, district: int | None = None,
        correlation_id: str | None = None, since: datetime | None = None, until: datetime | None = None,
        after_seq: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000),
    ) -> list[dict]:
        """Every event the festival has seen, filtered by type, district, correlation id and time (city-wide staff)."""
        _city_wide(principal)
        async with engine.connect() as conn:
            return await db_ledger.query(conn, event_type=event_type, district=district, correlation_id=correlation_id,
                                         since=since, until=until, after_seq=after_seq, limit=limit)

    @router.get("/ledger/verify")
    async def verify(principal: Principal = Depends(signed_in)) -> dict:
        """Walk the hash chain; reports the first row rewritten behind the application's back."""
        _city_wide(principal)
        async with engine.connect() as conn:
            verdict = await db_ledger.verify_all(conn)
        return {**asdict(verdict), "ok": verdict.ok}

    @router.get("/public-events")
    async def public_events(after_seq: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000)) -> dict:
        """Public events from a position, for external systems catching up (no personal data by contract)."""
        async with engine.connect() as conn:
            rows = await db_ledger.query(conn, exchange=PUBLIC_EXCHANGE, after_seq=after_seq, limit=limit)
        events = [{k: row[k] for k in PUBLIC_FIELDS} for row in rows]
        return {"events": events, "next_after_seq": events[-1]["seq"] if events else after_seq}

    return router
