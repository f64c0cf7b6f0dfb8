"""People and their appointments to bodies: keyword-only queries."""

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.tables import accounts, appointments, bodies, people


async def create_person(conn: AsyncConnection, *, name: str, mobile: str | None, email: str | None) -> uuid.UUID:
    """Insert a person (already normalised and validated)."""
    person_id = uuid.uuid4()
    await conn.execute(people.insert().values(id=person_id, name=name, mobile=mobile, email=email))
    return person_id


async def get_person(conn: AsyncConnection, *, person_id: uuid.UUID) -> dict | None:
    """A person with their active appointments."""
    row = (await conn.execute(select(people).where(people.c.id == person_id))).mappings().first()
    return {**row, "memberships": await memberships_of(conn, person_id=person_id)} if row else None


async def person_exists(conn: AsyncConnection, *, person_id: uuid.UUID) -> bool:
    """True when the person is registered."""
    return (await conn.execute(select(people.c.id).where(people.c.id == person_id))).first() is not None


async def memberships_of(conn: AsyncConnection, *, person_id: uuid.UUID) -> list[dict]:
    """Active appointments with each body's kind and district (as tokens carry them)."""
    rows = await conn.execute(
        select(appointments.c.id.label("appointment_id"), appointments.c.body_code.label("body"),
               appointments.c.role, bodies.c.kind, bodies.c.district)
        .join(bodies, bodies.c.code == appointments.c.body_code)
        .where(appointments.c.person_id == person_id, appointments.c.removed_at.is_(None), bodies.c.active)
        .order_by(appointments.c.body_code, appointments.c.role))
    return [dict(r) for r in rows.mappings()]


async def appoint(conn: AsyncConnection, *, person_id: uuid.UUID, body_code: str, role: str,
                  by: str) -> uuid.UUID | None:
    """Record an appointment; None when the person already holds that role in that body."""
    appointment_id = uuid.uuid4()
    result = await conn.execute(
        insert(appointments).values(id=appointment_id, person_id=person_id, body_code=body_code, role=role,
                                    appointed_by=by)
        .on_conflict_do_nothing(index_elements=["person_id", "body_code", "role"],
                                index_where=appointments.c.removed_at.is_(None))
        .returning(appointments.c.id))
    return result.scalar()


async def end_appointment(conn: AsyncConnection, *, appointment_id: uuid.UUID, body_code: str,
                          by: str) -> dict | None:
    """Mark an active appointment to the body removed; returns it, or None when there was none."""
    row = (await conn.execute(
        update(appointments).where(appointments.c.id == appointment_id, appointments.c.body_code == body_code,
                                   appointments.c.removed_at.is_(None))
        .values(removed_at=func.now(), removed_by=by).returning(appointments))).mappings().first()
    return dict(row) if row else None


async def people_of_bodies(conn: AsyncConnection, *, body_codes: list[str]) -> list[uuid.UUID]:
    """People with an active appointment to any of the bodies."""
    rows = await conn.execute(select(appointments.c.person_id).distinct().where(
        appointments.c.body_code.in_(body_codes), appointments.c.removed_at.is_(None)))
    return list(rows.scalars())


async def body_members(conn: AsyncConnection, *, body_code: str) -> list[dict]:
    """People currently appointed to a body."""
    rows = await conn.execute(
        select(appointments.c.id.label("appointment_id"), appointments.c.role, appointments.c.appointed_at,
               people.c.id.label("person_id"), people.c.name)
        .join(people, people.c.id == appointments.c.person_id)
        .where(appointments.c.body_code == body_code, appointments.c.removed_at.is_(None))
        .order_by(appointments.c.appointed_at))
    return [dict(r) for r in rows.mappings()]


async def district_staff(conn: AsyncConnection, *, district: int) -> list[dict]:
    """People with an account appointed to a body of the district, with the body and role (no contact details)."""
    rows = await conn.execute(
        select(people.c.name, accounts.c.username, appointments.c.role, bodies.c.kind, bodies.c.name_fa.label("body"))
        .join(appointments, appointments.c.person_id == people.c.id)
        .join(bodies, bodies.c.code == appointments.c.body_code)
        .join(accounts, accounts.c.person_id == people.c.id)
        .where(bodies.c.district == district, bodies.c.active, appointments.c.removed_at.is_(None), accounts.c.active)
        .order_by(bodies.c.code, appointments.c.role, people.c.name))
    return [dict(r) for r in rows.mappings()]


async def lock_body(conn: AsyncConnection, *, body_code: str) -> None:
    """Hold the body's row until the transaction ends, so two hand-overs of one body run one after the other."""
    await conn.execute(select(bodies.c.code).where(bodies.c.code == body_code).with_for_update())


def _like(text: str) -> str:
    """A search text as an ILIKE pattern that matches it anywhere (its own % and _ taken literally)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


async def directory(conn: AsyncConnection, *, name: str | None, body_code: str | None, role: str | None,
                    district: int | None, limit: int) -> tuple[list[dict], int]:
    """People whose name contains `name` and who hold an active appointment matching the filters (any person when
    no filter), by name, at most `limit`, with their username; and how many match in all."""
    query = select(people.c.id, people.c.name, people.c.mobile, people.c.email, accounts.c.username,
                   accounts.c.active.label("account_active")).outerjoin(
        accounts, accounts.c.person_id == people.c.id)
    if body_code or role or district is not None:
        held = select(appointments.c.person_id).join(bodies, bodies.c.code == appointments.c.body_code).where(
            appointments.c.removed_at.is_(None), bodies.c.active)
        if body_code:
            held = held.where(appointments.c.body_code == body_code)
        if role:
            held = held.where(appointments.c.role == role)
        if district is not None:
            held = held.where(bodies.c.district == district)
        query = query.where(people.c.id.in_(held))
    if name:
        query = query.where(people.c.name.ilike(_like(name), escape="\\"))
    total = (await conn.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = [dict(r) for r in (await conn.execute(query.order_by(people.c.name, people.c.id).limit(limit))).mappings()]
    held_by = await appointments_of(conn, person_ids=[r["id"] for r in rows], active_only=True)
    return [{**r, "appointments": held_by.get(r["id"], [])} for r in rows], total


async def appointments_of(conn: AsyncConnection, *, person_ids: list[uuid.UUID],
                          active_only: bool) -> dict[uuid.UUID, list[dict]]:
    """Each person's appointments (active ones first, then the ended, latest first) with the body's name, kind and
    district."""
    if not person_ids:
        return {}
    query = (select(appointments.c.id.label("appointment_id"), appointments.c.person_id,
                    appointments.c.body_code.label("body"), appointments.c.role, appointments.c.appointed_at,
                    appointments.c.removed_at, bodies.c.name_fa.label("body_name"), bodies.c.kind, bodies.c.district,
                    bodies.c.active.label("body_active"))
             .join(bodies, bodies.c.code == appointments.c.body_code)
             .where(appointments.c.person_id.in_(person_ids))
             .order_by(appointments.c.removed_at.desc().nulls_first(), appointments.c.body_code, appointments.c.role))
    if active_only:
        query = query.where(appointments.c.removed_at.is_(None), bodies.c.active)
    found: dict[uuid.UUID, list[dict]] = {}
    for row in (await conn.execute(query)).mappings():
        found.setdefault(row["person_id"], []).append(dict(row))
    return found


async def member_counts(conn: AsyncConnection) -> dict[str, int]:
    """How many people sit on each body now (bodies with nobody are missing)."""
    rows = await conn.execute(select(appointments.c.body_code, func.count()).where(appointments.c.removed_at.is_(None))
                              .group_by(appointments.c.body_code))
    return {code: count for code, count in rows}


async def account_of(conn: AsyncConnection, *, person_id: uuid.UUID) -> dict | None:
    """The person's account (its id, username and whether it is active), read without locking."""
    row = (await conn.execute(select(accounts.c.id, accounts.c.username, accounts.c.active)
                              .where(accounts.c.person_id == person_id))).mappings().first()
    return dict(row) if row else None


async def appointment(conn: AsyncConnection, *, appointment_id: uuid.UUID) -> dict | None:
    """One appointment (active or ended) with its person's name and its body's name, kind and district."""
    row = (await conn.execute(
        select(appointments.c.id.label("appointment_id"), appointments.c.person_id, people.c.name.label("person_name"),
               appointments.c.body_code.label("body"), appointments.c.role, appointments.c.appointed_at,
               appointments.c.removed_at, bodies.c.name_fa.label("body_name"), bodies.c.kind, bodies.c.district)
        .join(people, people.c.id == appointments.c.person_id).join(bodies, bodies.c.code == appointments.c.body_code)
        .where(appointments.c.id == appointment_id))).mappings().first()
    return dict(row) if row else None
