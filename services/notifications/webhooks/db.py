"""Queries of the webhook endpoints: register, list, count failures, change status."""

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.db import deliveries, webhooks
from services.notifications.delivery.domain import DEAD, FAILED, SENT
from services.notifications.webhooks.domain import ACTIVE, DISABLED, FAILING

WEBHOOK_PUBLIC = [c for c in webhooks.c if c.name != "secret"]


async def create_webhook(conn: AsyncConnection, *, name: str, url: str, secret: str, patterns: list[str],
                         by: str) -> dict:
    """Register an endpoint."""
    result = await conn.execute(insert(webhooks).values(name=name, url=url, secret=secret, patterns=patterns,
                                                        created_by=by).returning(*WEBHOOK_PUBLIC))
    return dict(result.mappings().one())


async def list_webhooks(conn: AsyncConnection) -> list[dict]:
    """Every endpoint, without secrets."""
    query = select(*WEBHOOK_PUBLIC).order_by(webhooks.c.created_at)
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def get_webhook(conn: AsyncConnection, *, webhook_id: uuid.UUID, with_secret: bool = False) -> dict | None:
    """One endpoint."""
    columns = list(webhooks.c) if with_secret else WEBHOOK_PUBLIC
    row = (await conn.execute(select(*columns).where(webhooks.c.id == webhook_id))).mappings().first()
    return dict(row) if row else None


async def subscribed_webhooks(conn: AsyncConnection) -> list[dict]:
    """Endpoints that receive events (active or failing: a failing one's deliveries wait, dead, for a resume)."""
    query = select(webhooks.c.id, webhooks.c.patterns, webhooks.c.status).where(webhooks.c.status != DISABLED)
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def webhook_succeeded(conn: AsyncConnection, *, webhook_id: uuid.UUID) -> None:
    """A delivery went through: the failure streak ends."""
    await conn.execute(update(webhooks).where(webhooks.c.id == webhook_id, webhooks.c.consecutive_failures > 0)
                       .values(consecutive_failures=0))


async def webhook_failed(conn: AsyncConnection, *, webhook_id: uuid.UUID, error: str) -> int:
    """Count a failed attempt; returns the failure streak."""
    result = await conn.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(
        consecutive_failures=webhooks.c.consecutive_failures + 1, last_error=error[:500])
        .returning(webhooks.c.consecutive_failures))
    return result.scalar_one_or_none() or 0


async def mark_failing(conn: AsyncConnection, *, webhook_id: uuid.UUID) -> dict | None:
    """Mark an active endpoint failing; the row when this call did it (so one replica raises the alert)."""
    result = await conn.execute(update(webhooks).where(webhooks.c.id == webhook_id, webhooks.c.status == ACTIVE)
                                .values(status=FAILING, failing_since=func.now()).returning(*WEBHOOK_PUBLIC))
    row = result.mappings().first()
    return dict(row) if row else None


async def set_webhook_status(conn: AsyncConnection, *, webhook_id: uuid.UUID, status: str) -> dict | None:
    """Resume (active, streak cleared) or disable an endpoint."""
    values: dict = {"status": status}
    if status == ACTIVE:
        values |= {"consecutive_failures": 0, "failing_since": None}
    result = await conn.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(**values)
                                .returning(*WEBHOOK_PUBLIC))
    row = result.mappings().first()
    return dict(row) if row else None


async def count_failing(conn: AsyncConnection) -> int:
    """How many endpoints are marked failing."""
    return (await conn.execute(select(func.count()).where(webhooks.c.status == FAILING))).scalar_one()


async def delivery_moments(conn: AsyncConnection) -> dict[uuid.UUID, dict]:
    """Per endpoint: when a delivery last went through, and when one last failed (from the ledger)."""
    success = func.max(deliveries.c.sent_at).filter(deliveries.c.status == SENT)
    failure = func.max(deliveries.c.updated_at).filter(deliveries.c.status.in_((FAILED, DEAD)))
    query = (select(deliveries.c.webhook_id, success.label("last_success_at"), failure.label("last_failure_at"))
             .where(deliveries.c.webhook_id.is_not(None)).group_by(deliveries.c.webhook_id))
    return {row["webhook_id"]: dict(row) for row in (await conn.execute(query)).mappings()}
