"""The ledger archiving a consumer's batch: one append for many events keeps the hash chain whole, in the order
given, after what was there before."""

import asyncio
import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.ledger.domain import GENESIS, verify
from services.registry.ledger.usecases import record, verify_chain
from services.registry.tables import ledger
from shared.db import make_engine
from shared.messaging.inbox import Envelope
from tests.support.scratch_db import scratch_database
from tests.support.servers import Servers


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


async def after(conn: AsyncConnection, seq: int) -> list[dict]:
    """The ledger's rows after a position, as PostgreSQL gives them back."""
    return [dict(r) for r in (await conn.execute(select(ledger).where(ledger.c.seq > seq).order_by(ledger.c.seq)))
            .mappings()]


async def test_rows_sealed_by_the_database_verify_whatever_their_text(conn: AsyncConnection) -> None:
    # The database hashes the JSON the registry made; every character JSON escapes or leaves raw must hash alike.
    head = (await conn.execute(select(ledger.c.seq, ledger.c.hash).order_by(ledger.c.seq.desc()).limit(1))).first()
    odd = ['"quoted" \\ back\\slash', "line\nbreak\ttab\r\x01\x1f\x7f", "نشانی «حامی» ۱۴۰۵", "emoji 🎉 \u200c",
           "</script>", ""]
    events = [(Envelope(str(uuid.uuid4()), f"t.{text}", f"r.{text}", f"x{text}", text or None, text),
               {"text": text, "nested": {"list": [text, 1, 2.5, None, True], text: -3}}) for text in odd]

    await record(conn, events)

    rows = await after(conn, head.seq if head else 0)
    assert [r["routing_key"] for r in rows] == [f"r.{text}" for text in odd]
    verdict = verify(rows, head.hash if head else GENESIS)
    assert verdict.ok and verdict.checked == len(odd), verdict


async def test_concurrent_appends_each_follow_the_head_the_one_before_committed(servers: Servers) -> None:
    # Each append waits for the lock, then reads the head in a new snapshot: it sees the append it waited on.
    async with scratch_database(servers, "registry") as scratch:
        engine = make_engine(scratch.url, pool_size=6, max_overflow=0)

        async def appender(district: int) -> list[str]:
            batches = [[received(district) for _ in range(7)] for _ in range(5)]
            for batch in batches:
                async with engine.begin() as connection:
                    await record(connection, batch)
            return [envelope.message_id for batch in batches for envelope, _ in batch]

        try:
            appended = await asyncio.gather(*(appender(district) for district in range(1, 7)))
            async with engine.connect() as connection:
                verdict, rows = await verify_chain(connection), await after(connection, 0)
        finally:
            await engine.dispose()
    assert verdict.ok and verdict.checked == 6 * 5 * 7, verdict
    assert [r["seq"] for r in rows] == list(range(1, 6 * 5 * 7 + 1))
    for ids in appended:  # each appender's events in its own order
        assert [r["event_id"] for r in rows if r["event_id"] in set(ids)] == ids
