"""Benchmark: closing an evaluation round of 10,000 works and 30,000 score sheets.

Seeds a scratch database (evaluation's own migrations), then times, in the same run:
  baseline  reading the round's sheets and ranking them in memory (no writes);
  close     the real `close_round`: read, rank, store 10,000 results, queue 20,000 outbox events, commit.
Usage: .venv/bin/python bench/close_round.py [--works 10000] [--sheets-per-work 3] [--runs 3]
Needs PostgreSQL (HAMI_TEST_DATABASE_URL or the local default). The scratch database is dropped at the end.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from services.evaluation import db_rounds
from services.evaluation.domain import DEFAULT_RUBRIC, IN_TIER_1, OPEN
from services.evaluation.usecases import closing
from shared.db import make_engine
from shared.migrate import migrate

SERVER = os.environ.get("HAMI_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


async def seed(dsn: str, round_id: uuid.UUID, works: int, per_work: int, evaluators: int) -> None:
    """Works, assignments and submitted sheets of one open round, with bulk COPY."""
    rng = random.Random(1405)
    people = [uuid.uuid4() for _ in range(evaluators)]
    start = datetime(2026, 11, 1, tzinfo=UTC)
    work_rows, assignment_rows, sheet_rows = [], [], []
    for i in range(works):
        work_id = uuid.uuid4()
        work_rows.append((work_id, 1 + i % 22, "محله", "welfare", f"اثر {i}", IN_TIER_1, start + timedelta(seconds=i)))
        for j in range(per_work):
            evaluator = people[(i + j * 7) % evaluators]
            assignment_rows.append((round_id, work_id, evaluator))
            scores = {c["code"]: rng.randint(0, 10) for c in DEFAULT_RUBRIC}
            sheet_rows.append((round_id, work_id, evaluator, json.dumps(scores), "", "submitted"))
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "INSERT INTO rounds (id, edition, tier, district, category, state, k, quota, rubric, opened_by) "
            "VALUES ($1, '1405', 1, 1, 'welfare', $2, $3, 3, $4::jsonb, 'bench')",
            round_id, OPEN, per_work, json.dumps(DEFAULT_RUBRIC))
        await connection.copy_records_to_table(
            "works", records=work_rows,
            columns=["work_id", "district", "neighbourhood", "category", "title", "status", "received_at"])
        await connection.copy_records_to_table("assignments", records=assignment_rows,
                                               columns=["round_id", "work_id", "evaluator_id"])
        await connection.copy_records_to_table(
            "sheets", records=sheet_rows, columns=["round_id", "work_id", "evaluator_id", "scores", "comment", "state"])
    finally:
        await connection.close()


async def one_run(database_url: str, dsn: str, args) -> tuple[float, float]:
    """Seed a fresh round; time the baseline then the real close."""
    round_id = uuid.uuid4()
    await seed(dsn, round_id, args.works, args.sheets_per_work, args.evaluators)
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            round_ = await db_rounds.get_round(conn, round_id=round_id)
            started = time.perf_counter()
            placings = (await closing.rank_round(conn, round_)).placings
            baseline = time.perf_counter() - started
        assert len(placings) == args.works
        started = time.perf_counter()
        async with engine.begin() as conn:
            round_ = await db_rounds.get_round(conn, round_id=round_id, lock=True)
            await closing.close_loaded_round(conn, round_=round_, closed_by="bench")
        close = time.perf_counter() - started
    finally:
        await engine.dispose()
    connection = await asyncpg.connect(dsn)  # leave the next run an empty round table
    await connection.execute("TRUNCATE works, assignments, sheets, results, outbox, rounds CASCADE")
    await connection.close()
    return baseline, close


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--sheets-per-work", type=int, default=3)
    parser.add_argument("--evaluators", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    name = f"hami_bench_{uuid.uuid4().hex[:8]}"
    base = SERVER.rsplit("/", 1)[0]
    database_url, dsn = f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{name}", f"{base}/{name}"
    await migrate("evaluation", database_url)
    try:
        runs = [await one_run(database_url, dsn, args) for _ in range(args.runs)]
    finally:
        admin = await asyncpg.connect(SERVER)
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
    sheets = args.works * args.sheets_per_work
    print(f"closing a round of {args.works:,} works and {sheets:,} sheets ({args.runs} runs, median; all runs):")
    for label, values in (("baseline: read + rank", [r[0] for r in runs]), ("close_round", [r[1] for r in runs])):
        print(f"  {label:<22} {statistics.median(values):6.2f} s   {', '.join(f'{v:.2f}' for v in values)}")


if __name__ == "__main__":
    asyncio.run(main())
