"""Ledger routes: the festival ledger and its verifier (city-wide staff), and the public catch-up feed."""

from datetime import datetime

from fastapi import APIRouter, Query
from pydantic import BaseModel

from services.registry.ledger import usecases
from services.registry.web import SignedIn
from shared.web.connection import Reading
from shared.web.jalali import JalaliModel

router = APIRouter(tags=["ledger"])


class PublicEvent(JalaliModel):
    seq: int
    event_id: str
    event_type: str
    routing_key: str
    payload: dict
    recorded_at: datetime


class LedgerEntry(PublicEvent):
    exchange: str
    correlation_id: str | None
    causation_id: str | None
    prev_hash: str
    hash: str


class VerdictOut(BaseModel):
    checked: int
    checkpoints: int
    first_broken_seq: int | None
    reason: str | None
    ok: bool


class PublicPage(BaseModel):
    events: list[PublicEvent]
    next_after_seq: int


@router.get("/ledger")
async def query(
    principal: SignedIn, conn: Reading, event_type: str | None = None, district: int | None = None,
    correlation_id: str | None = None, since: datetime | None = None, until: datetime | None = None,
    after_seq: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000),
) -> list[LedgerEntry]:
    """Every event the festival has seen, filtered by type, district, correlation id and time (city-wide staff)."""
    rows = await usecases.entries(conn, principal, event_type=event_type, district=district,
                                  correlation_id=correlation_id, since=since, until=until, after_seq=after_seq,
                                  limit=limit)
    return [LedgerEntry(**row) for row in rows]


@router.get("/ledger/verify")
async def verify(principal: SignedIn, conn: Reading) -> VerdictOut:
    """Walk the hash chain and check it against its signed checkpoints; reports the first row rewritten behind the
    application's back (or, when every hash was recomputed, the rows between the last checkpoint that holds and
    the first that does not)."""
    verdict = await usecases.verify_ledger(conn, principal)
    return VerdictOut(checked=verdict.checked, checkpoints=verdict.checkpoints,
                      first_broken_seq=verdict.first_broken_seq, reason=verdict.reason, ok=verdict.ok)


@router.get("/public-events")
async def public_events(conn: Reading, after_seq: int = Query(0, ge=0),
                        limit: int = Query(100, ge=1, le=1000)) -> PublicPage:
    """Public events from a position, for external systems catching up (no personal data by contract)."""
    return PublicPage(**await usecases.public_events(conn, after_seq=after_seq, limit=limit))

