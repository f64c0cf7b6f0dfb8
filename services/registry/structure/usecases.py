"""Structure use cases: loading the structure file (idempotent) and staff edits of single bodies."""

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.registry.identity import db as identity_db
from services.registry.identity import usecases as identity
from services.registry.organisations import db as organisations_db
from services.registry.organisations.domain import Organisation, plan_organisations
from services.registry.people import db as people_db
from services.registry.permissions import PERMISSIONS, SEE_DISTRICT_OFFICES, Capability, not_district_staff
from services.registry.structure import db
from services.registry.structure.domain import (
    STAFF,
    STRUCTURE,
    Body,
    changed_body,
    count_by_type,
    new_body,
    plan_bodies,
    plan_neighbourhoods,
)
from services.registry.structure.file import Structure, read_structure
from services.registry.tables import outbox
from shared.contracts.base import Event
from shared.contracts.registry import BodyChanged, BodyCreated, BodyDeactivated, OrganisationChanged
from shared.messaging.outbox import add_events
from shared.principal import Principal
from shared.refusals import not_found


async def apply_structure(conn: AsyncConnection, structure: Structure) -> dict[str, int]:
    """Bring the stored structure to the file's, publishing an event per change; counts per event type."""
    return count_by_type(await _apply_structure(conn, structure))


async def _apply_structure(conn: AsyncConnection, structure: Structure) -> list[Event]:
    """Bring the stored structure to the file's, publishing an event per change; the events."""
    await db.lock_structure(conn)
    events = plan_bodies(await db.load_bodies(conn, managed_by=STRUCTURE), structure.bodies)
    events += plan_neighbourhoods(await db.load_neighbourhoods(conn), structure.neighbourhoods)
    await db.apply_structure_events(conn, events=events)
    organisation_events = plan_organisations(await organisations_db.load(conn, managed_by=STRUCTURE),
                                             structure.organisations)
    for event in organisation_events:
        await organisations_db.upsert(conn, organisation=Organisation(
            **{k: getattr(event, k) for k in organisations_db.FIELDS}), managed_by=STRUCTURE)
    events += organisation_events
    await add_events(conn, outbox, events)
    await _cut_off(conn, events)
    return events


async def _cut_off(conn: AsyncConnection, events: list[Event]) -> None:
    """Revoke the tokens of the members of deactivated bodies and of deactivated organisations' accounts: they
    carry roles (or an organisation) that no longer stand."""
    bodies_gone = [e.code for e in events if isinstance(e, BodyDeactivated)]
    if bodies_gone:
        await identity.revoke_access(conn, await people_db.people_of_bodies(conn, body_codes=bodies_gone),
                                     "body_deactivated")
    for event in events:
        if isinstance(event, OrganisationChanged) and not event.active:
            await identity.revoke_access(conn, await identity_db.organisation_people(
                conn, organisation_code=event.code), "organisation_deactivated")


async def load_structure(engine: AsyncEngine, path: Path) -> dict[str, int]:
    """Load the structure file in a transaction of its own (on start, and `hami structure load`)."""
    structure = read_structure(path)
    async with engine.begin() as conn:
        return await apply_structure(conn, structure)


async def reload_structure(conn: AsyncConnection, principal: Principal, path: Path) -> dict[str, int]:
    """Reload the structure file (festival secretary); counts per event type."""
    return count_by_type(await reload_structure_changes(conn, principal, path))


async def reload_structure_changes(conn: AsyncConnection, principal: Principal, path: Path) -> list[Event]:
    """Reload the structure file (festival secretary); the change events, each naming what changed."""
    PERMISSIONS.require(principal, Capability.RELOAD_STRUCTURE)
    return await _apply_structure(conn, read_structure(path))


async def structure_summary(conn: AsyncConnection, principal: Principal) -> dict[str, int]:
    """How many active bodies, neighbourhoods and organisations are stored now, for whoever may reload them."""
    PERMISSIONS.require(principal, Capability.RELOAD_STRUCTURE)
    return {"bodies": len(await db.list_bodies(conn)), "neighbourhoods": len(await db.list_neighbourhoods(conn)),
            "organisations": len(await organisations_db.listing(conn, district=None, kind=None))}


async def organisation_tree(conn: AsyncConnection, principal: Principal) -> dict:
    """The whole organisation for city-wide staff (who read people's records): the active bodies with how many
    sit on each, the neighbourhoods and the organisations."""
    PERMISSIONS.require(principal, Capability.READ_PEOPLE)
    return {"bodies": await db.list_bodies(conn), "neighbourhoods": await db.list_neighbourhoods(conn),
            "organisations": await organisations_db.listing(conn, district=None, kind=None),
            "members": await people_db.member_counts(conn)}


async def bodies(conn: AsyncConnection, *, district: int | None) -> list[dict]:
    """The active bodies, optionally of one district (public)."""
    return await db.list_bodies(conn, district=district)


async def neighbourhoods(conn: AsyncConnection, *, district: int | None) -> list[dict]:
    """The active neighbourhoods, optionally of one district (public)."""
    return await db.list_neighbourhoods(conn, district=district)


async def active_body(conn: AsyncConnection, code: str) -> Body:
    """An active body by code, or a refusal (not found)."""
    body = await db.load_body(conn, code=code)
    if body is None or not body.active:
        raise not_found("نهاد", "Body")
    return body


async def add_body(conn: AsyncConnection, principal: Principal, body: Body) -> BodyCreated:
    """Add a body under an existing one (festival secretary); the structure file's reload leaves it alone."""
    PERMISSIONS.require(principal, Capability.MANAGE_BODIES)
    event = new_body(await db.load_bodies(conn), body)
    await db.apply_structure_events(conn, events=[event], managed_by=STAFF)
    await add_events(conn, outbox, [event])
    return event


async def change_body(conn: AsyncConnection, principal: Principal, code: str,
                      changes: dict) -> BodyChanged | BodyDeactivated:
    """Rename or (de)activate a body (festival secretary); its members' tokens are revoked when it is deactivated."""
    PERMISSIONS.require(principal, Capability.MANAGE_BODIES)
    stored = await db.load_body(conn, code=code)
    if stored is None:
        raise not_found("نهاد", "Body")
    event = changed_body(stored, changes)
    await db.apply_structure_events(conn, events=[event], managed_by=STAFF)
    await add_events(conn, outbox, [event])
    await _cut_off(conn, [event])
    return event


async def district_offices(conn: AsyncConnection, principal: Principal, district: int) -> dict:
    """A district's festival offices: its neighbourhoods, the institutions and organisations registered there, and
    its staff accounts with their roles (the district's own people and city-wide staff)."""
    if not SEE_DISTRICT_OFFICES.allows(principal, district):
        raise not_district_staff()
    return {"neighbourhoods": await db.list_neighbourhoods(conn, district=district),
            "organisations": await organisations_db.listing(conn, district=district, kind=None),
            "staff": await people_db.district_staff(conn, district=district)}
