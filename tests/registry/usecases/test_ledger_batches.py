"""The ledger archiving a consumer's batch: one append for many events keeps the hash chain whole, in the order
given, after what was there before."""

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.ledger.domain import GENESIS, verify
from services.registry.ledger.usecases import record
from services.registry.tables import ledger
from shared.messaging.inbox import Envelope


def received(district: int) -> tuple[Envelope, dict]:
    """A work-received event of a district, as the consumer hands it to the ledger."""
    event_id = str(uuid.uuid4())
    return (Envelope(event_id, "submissions.work.received", f"submissions.work.received.d{district:02d}",
                     "hami.internal", event_id, None), {"event_id": event_id, "district": district})


async def test_one_batch_after_another_keeps_the_chain_whole_and_in_the_given_order(conn: AsyncConnection) -> None:
    before = (await conn.execute(select(ledger.c.seq, ledger.c.hash).order_by(ledger.c.seq.desc()).limit(1))).first()
    first, second = [received(d) for d in range(1, 23)], [received(7)]
    await record(conn, first)
    await record(conn, second)
    await record(conn, [])  # an empty batch (every message a duplicate) appends nothing

    rows = [dict(r) for r in (await conn.execute(
        select(ledger).where(ledger.c.seq > (before.seq if before else 0)).order_by(ledger.c.seq))).mappings()]
    assert [r["event_id"] for r in rows] == [e.message_id for e, _ in first + second]
    assert rows[0]["prev_hash"] == (before.hash if before else GENESIS)
    verdict = verify(rows, rows[0]["prev_hash"])  # the rows as read back from PostgreSQL (jsonb payloads)
    assert verdict.ok and verdict.checked == 23
    assert [r["seq"] for r in rows] == sorted({r["seq"] for r in rows})  # strictly increasing, no repeats


async def test_an_append_rolled_back_leaves_no_gap_in_the_sequence(conn: AsyncConnection) -> None:
    # The next seq follows the chain's head read under the lock, not a sequence: what a failed transaction took
    # is taken again by the next append.
    await record(conn, [received(1)])
    head = (await conn.execute(select(ledger.c.seq).order_by(ledger.c.seq.desc()).limit(1))).scalar_one()
    savepoint = await conn.begin_nested()
    await record(conn, [received(2), received(3)])
    await savepoint.rollback()
    await record(conn, [received(4)])
    seqs = (await conn.execute(select(ledger.c.seq).where(ledger.c.seq > head).order_by(ledger.c.seq))).scalars()
    assert list(seqs) == [head + 1]


async def test_a_row_inserted_past_the_append_is_refused_rather_than_numbered_into_the_chain(
        conn: AsyncConnection) -> None:
    await record(conn, [received(3)])

    with pytest.raises(IntegrityError, match='null value in column "seq"'):
        async with conn.begin_nested():
            await conn.execute(text(
                "INSERT INTO ledger (event_id, event_type, routing_key, exchange, payload, recorded_at, prev_hash, "
                "hash) VALUES (:event_id, 't', 't.d03', 'hami.internal', '{}', now(), :genesis, :genesis)"),
                {"event_id": str(uuid.uuid4()), "genesis": GENESIS})
