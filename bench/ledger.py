"""Benchmark: the registry's ledger archiving events, next to plain inserts of the same rows in the same run.

Seeds nothing: on a scratch database with the registry's own migrations, it archives N events the way registry's
consumer does, from C concurrent workers, and times, in the same run:
  ledger    services.registry.ledger.usecases.record: the advisory lock that serialises appends, the last row's
            hash, the next sequence numbers, the rows sealed with their hashes chained to the previous one;
  baseline  the same rows inserted into a plain table of the same shape (no lock, no chain), same transactions;
twice: one event per transaction (a consumer applying each message alone, as the registry did before group commit),
then B events per transaction (the consumer's group commit under load: as many as wait, up to its prefetch).
Usage: .venv/bin/python bench/ledger.py [--events 5000] [--workers 8] [--batch 50] [--runs 3]
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


def batches(items: list, size: int) -> list[list]:
    """The items in consecutive groups of `size`."""
    return [items[i:i + size] for i in range(0, len(items), size)]


async def timed(workers: int, work: list, one) -> float:
    """Seconds for `workers` concurrent tasks to run `one` on every item (a batch: one transaction)."""
    queue: asyncio.Queue = asyncio.Queue()
    for item in work:
        queue.put_nowait(item)

    async def worker() -> None:
        while not queue.empty():
            await one(queue.get_nowait())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return time.perf_counter() - started


async def run(args, database_url: str) -> dict[int, list[tuple[float, float]]]:
    """Each run, for one event per transaction and then for batches: the ledger, then the plain table, on fresh
    events."""
    await migrate("registry", database_url)
    engine = make_engine(database_url, pool_size=args.workers, max_overflow=0)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE plain (LIKE ledger INCLUDING DEFAULTS)"))

    async def archive(batch: list[tuple[Envelope, dict]]) -> None:
        async with engine.begin() as conn:
            await record(conn, batch)

    async def insert(batch: list[tuple[Envelope, dict]]) -> None:
        async with engine.begin() as conn:
            await conn.execute(PLAIN, [{
                "event_id": envelope.message_id, "event_type": envelope.event_type,
                "routing_key": envelope.routing_key, "exchange": envelope.exchange,
                "correlation_id": envelope.correlation_id, "causation_id": envelope.causation_id,
                "payload": json.dumps(payload)} for envelope, payload in batch])

    runs: dict[int, list[tuple[float, float]]] = {1: [], args.batch: []}
    try:
        for _ in range(args.runs):
            for size, measured in runs.items():
                ledger = await timed(args.workers, batches(events(args.events), size), archive)
                plain = await timed(args.workers, batches(events(args.events), size), insert)
                measured.append((ledger, plain))
    finally:
        await engine.dispose()
    return runs


def main() -> None:
    """Run, report the medians and every run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--batch", type=int, default=50, help="events per transaction under group commit")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    name, database_url = scratch_database(DATABASE)
    try:
        runs = asyncio.run(run(args, database_url))
    finally:
        asyncio.run(drop_database(DATABASE, name))
    print(f"archiving {args.events:,} events, {args.workers} concurrent workers "
          f"({args.runs} runs; median events/s, then every run):")
    for size, measured in runs.items():
        print(f"{size} event{'s' if size > 1 else ''} per transaction:")
        print(rates_report(args.events, measured, ("ledger (chained)", "baseline: plain insert"), "ledger"))


if __name__ == "__main__":
    main()
