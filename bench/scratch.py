"""What the database benchmarks share: a scratch database's name and URL, its removal, and the report of a
measured rate against its baseline over several runs."""

import statistics
import uuid

import asyncpg


def scratch_database(server: str) -> tuple[str, str]:
    """A fresh database name on the server and its SQLAlchemy (asyncpg) URL; the database is not created yet."""
    name = f"hami_bench_{uuid.uuid4().hex[:8]}"
    base = server.rsplit("/", 1)[0]
    return name, f"{base.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"


async def drop_database(server: str, name: str) -> None:
    """Remove a scratch database, whoever is still connected to it."""
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def rates_report(count: int, runs: list[tuple[float, float]], labels: tuple[str, str], subject: str) -> str:
    """The median rate and every run's, measured then baseline, and the median ratio of the two."""
    lines = []
    for label, index in zip(labels, (0, 1), strict=True):
        rates = [count / run[index] for run in runs]
        lines.append(f"  {label:<24} {statistics.median(rates):8,.0f}/s   {', '.join(f'{r:,.0f}' for r in rates)}")
    ratio = statistics.median([run[1] / run[0] for run in runs])
    lines.append(f"  {subject} at {ratio:.0%} of the baseline's rate (median of the runs' ratios)")
    return "\n".join(lines)
