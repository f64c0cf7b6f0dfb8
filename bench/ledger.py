"""Benchmark: the registry's ledger archiving events, next to plain inserts of the same rows in the same run.

Seeds nothing: on a scratch database with the registry's own migrations, it archives N events the way registry's
consumer does, one transaction per event from C concurrent workers (the consumer's prefetch lets several run at
once), and times, in the same run:
  ledger    services.registry.ledger.usecases.record: the advisory lock that serialises appends, the last row's
            hash, the next sequence number, the row sealed with its hash chained to the previous one;
  baseline  the same rows inserted into a plain table of the same shape (no lock, no chain), same transactions.
Usage: .venv/bin/python bench/ledger.py [--events 5000] [--workers 8] [--runs 3]
Needs PostgreSQL (HAMI_TEST_DATABASE_URL or the local default). The scratch database is dropped at the end.
"""

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scratch import drop_database, rates_report, scratch_database  # noqa: E402
from services.registry.ledger.usecases import record  # noqa: E402
from shared.db import make_engine  # noqa: E402
from shared.messaging.inbox import Envelope  # noqa: E402
from shared.migrate import migrate  # noqa: E402

DATABASE = os.environ.get("HAMI_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
PLAIN = text("INSERT INTO plain (event_id, event_type, routing_key, exchange, correlation_id, causation_id, payload, "
             "recorded_at, prev_hash, hash) VALUES (:event_id, :event_type, :routing_key, :exchange, :correlation_id, "
             ":causation_id, CAST(:payload AS jsonb), now(), '', '')")


def events(count: int) -> list[tuple[Envelope, dict]]:
    """What a work's intake makes the registry archive: its received event, N times over."""
    made = []
    for i in range(count):
        event_id = str(uuid.uuid4())
        payload = {"event_id": event_id, "work_id": str(uuid.uuid4()), "district": 1 + i % 22, "category": "welfare",
                   "neighbourhood": "ونک", "title": f"اثر آزمون {i}", "occurred_at": "2026-11-28T00:00:00+00:00",
                   "schema_version": 1}
        made.append((Envelope(event_id, "submissions.work.received", "submissions.work.received.district-01",
                              "hami.internal", event_id, None), payload))
    return made


async def timed(workers: int, work: list, one) -> float:
    """Seconds for `workers` concurrent tasks to run `one` on every item, each in its own transaction."""
    queue: asyncio.Queue = asyncio.Queue()
    for item in work:
        queue.put_nowait(item)

    async def worker() -> None:
        while not queue.empty():
            await one(queue.get_nowait())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return time.perf_counter() - started


async def run(args, database_url: str) -> list[tuple[float, float]]:
    """Each run: the ledger, then the plain table, on fresh events."""
    await migrate("registry", database_url)
    engine = make_engine(database_url, pool_size=args.workers, max_overflow=0)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE plain (LIKE ledger INCLUDING DEFAULTS)"))

    async def archive(item: tuple[Envelope, dict]) -> None:
        async with engine.begin() as conn:
            await record(conn, *item)

    async def insert(item: tuple[Envelope, dict]) -> None:
        envelope, payload = item
        async with engine.begin() as conn:
            await conn.execute(PLAIN, {"event_id": envelope.message_id, "event_type": envelope.event_type,
                                       "routing_key": envelope.routing_key, "exchange": envelope.exchange,
                                       "correlation_id": envelope.correlation_id,
                                       "causation_id": envelope.causation_id, "payload": json.dumps(payload)})

    runs = []
    try:
        for _ in range(args.runs):
            ledger = await timed(args.workers, events(args.events), archive)
            plain = await timed(args.workers, events(args.events), insert)
            runs.append((ledger, plain))
    finally:
        await engine.dispose()
    return runs


def main() -> None:
    """Run, report the medians and every run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    name, database_url = scratch_database(DATABASE)
    try:
        runs = asyncio.run(run(args, database_url))
    finally:
        asyncio.run(drop_database(DATABASE, name))
    print(f"archiving {args.events:,} events, one transaction each, {args.workers} concurrent "
          f"({args.runs} runs; median events/s, then every run):")
    print(rates_report(args.events, runs, ("ledger (chained)", "baseline: plain insert"), "ledger"))



if __name__ == "__main__":
    main()
