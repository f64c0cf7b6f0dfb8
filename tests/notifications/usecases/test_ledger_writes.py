"""The delivery ledger's set-wise writes on a real database (rolled back): an event's rows in one statement, each
recorded once, and sent rows marked together, each only while this replica still holds its lease."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications.db import deliveries
from services.notifications.delivery import db as ledger
from services.notifications.delivery.domain import INBOX, PENDING, SENT, SMS


def row(event_id: uuid.UUID, recipient: str, channel: str = SMS, **values) -> dict:
    """A ledger row as the recorder writes it."""
    return {"event_id": event_id, "event_type": "submissions.work.received", "recipient": recipient,
            "channel": channel, "rule": "work_received", "essential": True, "person_id": None, "subject": None,
            "body": "کد رهگیری", "html": None, "status": PENDING, "last_error": None, "next_attempt_at": None,
            **values}


async def test_an_events_rows_are_recorded_once_each_inbox_rows_as_sent_now(conn: AsyncConnection) -> None:
    event, later = uuid.uuid4(), datetime.now(UTC) + timedelta(hours=8)
    rows = [row(event, "09120000001"), row(event, "09120000002", next_attempt_at=later),
            row(event, str(uuid.uuid4()), channel=INBOX, status=SENT)]
    written = await ledger.record_deliveries(conn, rows=rows)
    assert sorted((channel, status) for _, channel, _, status in written) == [(INBOX, SENT), (SMS, PENDING),
                                                                               (SMS, PENDING)]
    assert await ledger.record_deliveries(conn, rows=rows) == []  # the same event reaches no one twice
    stored = {r.recipient: r for r in await conn.execute(
        select(deliveries).where(deliveries.c.event_id == event))}
    now = (await conn.execute(select(deliveries.c.created_at).limit(1))).scalar_one()
    assert stored["09120000001"].next_attempt_at == now and stored["09120000001"].sent_at is None
    assert stored["09120000002"].next_attempt_at == later
    assert stored[rows[2]["recipient"]].sent_at == now


async def test_sent_rows_are_marked_together_only_where_the_lease_is_still_held(conn: AsyncConnection) -> None:
    event = uuid.uuid4()
    await ledger.record_deliveries(conn, rows=[row(event, f"0912000010{i}") for i in range(3)])
    claimed = [r for r in await ledger.claim_due(conn, limit=100, lease=timedelta(minutes=2), skip_sms=False)
               if r["event_id"] == event]
    assert len(claimed) == 3
    taken_over = claimed[0]["id"]  # another replica took it after this one's lease ran out
    await conn.execute(update(deliveries).where(deliveries.c.id == taken_over)
                       .values(lease_until=datetime.now(UTC) + timedelta(hours=1)))
    assert await ledger.finish_sent(conn, claimed) == 2
    statuses = dict((await conn.execute(select(deliveries.c.id, deliveries.c.status)
                                        .where(deliveries.c.event_id == event))).all())
    assert statuses.pop(taken_over) == PENDING and set(statuses.values()) == {SENT}
