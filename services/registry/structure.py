"""Loading the declarative festival structure file into the registry (idempotent)."""

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.registry import db, db_organisations
from services.registry.db_organisations import FIELDS, STRUCTURE
from services.registry.domain import (
    Body,
    Neighbourhood,
    expand_bodies,
    neighbourhood_code,
    parse_neighbourhoods,
    plan_bodies,
    plan_neighbourhoods,
)
from services.registry.domain_organisations import Organisation, checked, plan_organisations
from shared.messaging.outbox import add_events
from shared.refusals import Refusal

# Serialises loads across replicas (pg advisory lock key).
STRUCTURE_LOCK = 7_405_001


@dataclass(frozen=True)
class Structure:
    """Everything the structure file describes."""

    bodies: list[Body]
    neighbourhoods: list[Neighbourhood]
    organisations: list[Organisation]


def read_structure(path: Path) -> Structure:
    """Bodies, neighbourhoods (from the CSV it names) and organisations described by the structure file."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    hoods = []
    if spec.get("neighbourhoods"):
        with (path.parent / spec["neighbourhoods"]).open(encoding="utf-8", newline="") as handle:
            hoods = parse_neighbourhoods(csv.DictReader(handle))
    districts_of = {h.code: h.district for h in hoods}
    organisations = []
    for entry in spec.get("organisations") or []:
        hood = neighbourhood_code(entry["district"], entry["neighbourhood"]) if entry.get("neighbourhood") else None
        organisation = Organisation(code=entry["code"], kind=entry["kind"], name_fa=entry["name_fa"],
                                    legal_entity_id=entry.get("legal_entity_id"), district=entry.get("district"),
                                    neighbourhood_code=hood)
        try:
            organisations.append(checked(organisation, districts_of.get(hood)))
        except Refusal as error:
            raise ValueError(f"structure file: organisation {entry['code']}: {error.en}") from None
    return Structure(expand_bodies(spec), hoods, organisations)


async def load_structure(engine: AsyncEngine, path: Path) -> dict[str, int]:
    """Bring the stored structure to the file's, publishing an event per change; counts per event type."""
    structure = read_structure(path)
    async with engine.begin() as conn:
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STRUCTURE_LOCK})
        events = plan_bodies(await db.load_bodies(conn, managed_by=STRUCTURE), structure.bodies)
        events += plan_neighbourhoods(await db.load_neighbourhoods(conn), structure.neighbourhoods)
        await db.apply_structure_events(conn, events=events)
        organisation_events = plan_organisations(await db_organisations.load(conn, managed_by=STRUCTURE),
                                                 structure.organisations)
        for event in organisation_events:
            await db_organisations.upsert(conn, organisation=Organisation(
                **{k: getattr(event, k) for k in FIELDS}), managed_by=STRUCTURE)
        events += organisation_events
        await add_events(conn, db.outbox, events)
    counts: dict[str, int] = {}
    for event in events:
        counts[event.event_type()] = counts.get(event.event_type(), 0) + 1
    return counts
