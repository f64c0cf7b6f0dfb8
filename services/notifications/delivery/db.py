"""The delivery ledger's queries: record once, claim due rows (SKIP LOCKED, leases), record outcomes, list."""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Select, bindparam, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.db import deliveries
from services.notifications.delivery.domain import DEAD, EMAIL, FAILED, PENDING, RETRYABLE, SENT, SMS, WEBHOOK

SENDABLE = (EMAIL, SMS, WEBHOOK)  # inbox rows are delivered when recorded
ERROR_LENGTH = 500


async def record_delivery(conn: AsyncConnection, *, values: dict) -> uuid.UUID | None:
    """Add a ledger row; None when this event already reached this recipient on this channel."""
    result = await conn.execute(
        insert(deliveries).values(**values).on_conflict_do_nothing().returning(deliveries.c.id))
    return result.scalar_one_or_none()


RECORDED = ("event_id", "event_type", "recipient", "channel", "rule", "essential", "person_id", "subject", "body",
            "html", "status", "last_error", "next_attempt_at")
# An event's messages in one statement, compiled once: arrays unnested; no next attempt means now, and a row
# recorded as sent (an inbox message) was sent now.
RECORD_DELIVERIES = text(
    "INSERT INTO deliveries (event_id, event_type, recipient, channel, rule, essential, person_id, subject, body, "
    "html, status, last_error, sent_at, next_attempt_at) "
    f"SELECT e, t, r, c, ru, es, pe, su, b, h, s, le, CASE WHEN s = '{SENT}' THEN now() END, coalesce(n, now()) "
    "FROM unnest(:event_id, :event_type, :recipient, :channel, :rule, :essential, :person_id, :subject, :body, "
    ":html, :status, :last_error, :next_attempt_at) AS u(e, t, r, c, ru, es, pe, su, b, h, s, le, n) "
    "ON CONFLICT DO NOTHING RETURNING id, channel, recipient, status"
).bindparams(*(bindparam(name, type_=ARRAY(deliveries.c[name].type)) for name in RECORDED))


async def record_deliveries(conn: AsyncConnection, *, rows: list[dict]) -> list[tuple]:
    """Add ledger rows in one statement; (id, channel, recipient, status) of those that were new. Each row gives
    every column in RECORDED (next_attempt_at None: due now)."""
    if not rows:
        return []
    columns = {name: [row[name] for row in rows] for name in RECORDED}
    return [tuple(row) for row in await conn.execute(RECORD_DELIVERIES, columns)]


async def claim_due(conn: AsyncConnection, *, limit: int, lease: timedelta, skip_sms: bool) -> list[dict]:
    """Take due rows for this replica: a lease, one more attempt; rows another replica holds are skipped."""
    due = (select(deliveries.c.id)
           .where(deliveries.c.status.in_((PENDING, FAILED)), deliveries.c.next_attempt_at <= func.now(),
                  deliveries.c.channel.in_([c for c in SENDABLE if not (skip_sms and c == SMS)]),
                  or_(deliveries.c.lease_until.is_(None), deliveries.c.lease_until < func.now()))
           .order_by(deliveries.c.next_attempt_at).limit(limit).with_for_update(skip_locked=True))
    result = await conn.execute(
        update(deliveries).where(deliveries.c.id.in_(due.scalar_subquery()))
        .values(lease_until=func.now() + lease, attempts=deliveries.c.attempts + 1, updated_at=func.now())
        .returning(*deliveries.c))
    return [dict(row) for row in result.mappings()]


async def finish(conn: AsyncConnection, row: dict, *, status: str, error: str | None = None,
                 retry_in: float | None = None) -> bool:
    """Record an attempt's outcome, if this replica still holds the lease; False when it lost it."""
    values: dict = {"status": status, "lease_until": None, "updated_at": func.now(),
                    "last_error": error[:ERROR_LENGTH] if error else None}
    if status == SENT:
        values["sent_at"] = func.now()
    if retry_in is not None:
        values["next_attempt_at"] = func.now() + timedelta(seconds=retry_in)
    result = await conn.execute(update(deliveries).where(
        deliveries.c.id == row["id"], deliveries.c.lease_until == row["lease_until"]).values(**values))
    return result.rowcount == 1


# Sent rows marked together, each only if this replica still holds its lease (as `finish` checks one row).
FINISH_SENT = text(
    f"UPDATE deliveries SET status = '{SENT}', sent_at = now(), lease_until = NULL, last_error = NULL, "
    "updated_at = now() FROM unnest(:ids, :leases) AS u(id, lease) "
    "WHERE deliveries.id = u.id AND deliveries.lease_until = u.lease"
).bindparams(bindparam("ids", type_=ARRAY(deliveries.c.id.type)),
             bindparam("leases", type_=ARRAY(deliveries.c.lease_until.type)))


async def finish_sent(conn: AsyncConnection, rows: list[dict]) -> int:
    """Record that these claimed rows were sent, in one statement; returns how many this replica still held."""
    result = await conn.execute(FINISH_SENT, {"ids": [row["id"] for row in rows],
                                              "leases": [row["lease_until"] for row in rows]})
    return result.rowcount


async def postpone(conn: AsyncConnection, row: dict, *, until: datetime) -> None:
    """Give a claimed row back untried (quiet hours began): the attempt does not count."""
    await conn.execute(update(deliveries).where(
        deliveries.c.id == row["id"], deliveries.c.lease_until == row["lease_until"]).values(
        lease_until=None, attempts=deliveries.c.attempts - 1, next_attempt_at=until, updated_at=func.now()))


async def kill_webhook_backlog(conn: AsyncConnection, *, webhook_id: uuid.UUID, reason: str) -> int:
    """Give up on a failing endpoint's waiting deliveries (resumable later); returns how many."""
    result = await conn.execute(update(deliveries).where(
        deliveries.c.webhook_id == webhook_id, deliveries.c.status.in_((PENDING, FAILED))).values(
        status=DEAD, last_error=reason, lease_until=None, updated_at=func.now()))
    return result.rowcount


async def requeue(conn: AsyncConnection, *, delivery_id: uuid.UUID | None = None,
                  webhook_id: uuid.UUID | None = None) -> int:
    """Send dead or failed rows again from scratch (one row, or all of an endpoint's); returns how many."""
    query = update(deliveries).where(deliveries.c.status.in_(RETRYABLE))
    if delivery_id is not None:
        query = query.where(deliveries.c.id == delivery_id)
    if webhook_id is not None:
        query = query.where(deliveries.c.webhook_id == webhook_id)
    result = await conn.execute(query.values(status=PENDING, attempts=0, next_attempt_at=func.now(),
                                             lease_until=None, updated_at=func.now()))
    return result.rowcount


def _filtered(query: Select, filters: dict) -> Select:
    """The query kept to rows matching every filter given (since and until: created at or after, before)."""
    for name, value in filters.items():
        if value is None:
            continue
        if name == "since":
            query = query.where(deliveries.c.created_at >= value)
        elif name == "until":
            query = query.where(deliveries.c.created_at < value)
        else:
            query = query.where(deliveries.c[name] == value)
    return query


async def list_deliveries(conn: AsyncConnection, *, limit: int, offset: int, **filters) -> list[dict]:
    """Ledger rows, newest first, filtered by any of event_id, status, channel, event_type, rule, recipient, since,
    until."""
    query = select(deliveries).order_by(deliveries.c.created_at.desc(), deliveries.c.id).limit(limit).offset(offset)
    return [dict(r) for r in (await conn.execute(_filtered(query, filters))).mappings()]


async def status_counts(conn: AsyncConnection, **filters) -> dict[str, int]:
    """How many rows of each status match the filters."""
    query = _filtered(select(deliveries.c.status, func.count()).group_by(deliveries.c.status), filters)
    return {status: count for status, count in await conn.execute(query)}


async def get_delivery(conn: AsyncConnection, *, delivery_id: uuid.UUID) -> dict | None:
    """One ledger row."""
    row = (await conn.execute(select(deliveries).where(deliveries.c.id == delivery_id))).mappings().first()
    return dict(row) if row else None


async def summary(conn: AsyncConnection) -> list[dict]:
    """Counts per channel and status, and the oldest waiting row's age per channel."""
    query = (select(deliveries.c.channel, deliveries.c.status, func.count().label("count"),
                    func.min(deliveries.c.created_at).label("oldest"))
             .group_by(deliveries.c.channel, deliveries.c.status).order_by(deliveries.c.channel, deliveries.c.status))
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def waiting_by_channel(conn: AsyncConnection) -> dict[str, tuple[int, float]]:
    """Per channel: rows pending or failed, and the oldest one's age in seconds (through the partial index)."""
    age = func.extract("epoch", func.now() - func.min(deliveries.c.created_at))
    rows = await conn.execute(select(deliveries.c.channel, func.count(), age)
                              .where(deliveries.c.status.in_((PENDING, FAILED))).group_by(deliveries.c.channel))
    return {channel: (count, float(seconds or 0)) for channel, count, seconds in rows}
