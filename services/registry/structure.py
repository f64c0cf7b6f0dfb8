"""Loading the declarative festival structure file into the registry (idempotent)."""

import csv
from pathlib import Path

import yaml
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry import db
from services.registry.domain import expand_bodies, parse_neighbourhoods, plan_bodies, plan_neighbourhoods
from shared.messaging.outbox import add_events

# Serialises loads across replicas (pg advisory lock key).
STRUCTURE_LOCK = 7_405_001


def read_structure(path: Path) -> tuple[list, list]:
    """Bodies and neighbourhoods described by the structure file and the CSV it names."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    bodies = expand_bodies(spec)
    hoods = []
    if spec.get("neighbourhoods"):
        with (path.parent / spec["neighbourhoods"]).open(encoding="utf-8", newline="") as handle:
            hoods = parse_neighbourhoods(csv.DictReader(handle))
    return bodies, hoods


async def load_structure(engine: AsyncEngine, path: Path) -> dict[str, int]:
    """Bring the stored structure to the file's, publishing an event per change; counts per event type."""
    bodies, hoods = read_structure(path)
    async with engine.begin() as conn:
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STRUCTURE_LOCK})
        events = plan_bodies(await db.load_bodies(conn), bodies)
        events += plan_neighbourhoods(await db.load_neighbourhoods(conn), hoods)
        await db.apply_structure_events(conn, events=events)
        await add_events(conn, db.outbox, events)
    counts: dict[str, int] = {}
    for event in events:
        counts[event.event_type()] = counts.get(event.event_type(), 0) + 1
    return counts
