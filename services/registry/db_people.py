"""People, their appointments to bodies, staff accounts and the sign-in throttle."""

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, Table, Text, func, select, update
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.db import bodies, metadata

people = Table(
    "people", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("mobile", Text),
    Column("email", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

appointments = Table(
    "appointments", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("person_id", UUID(as_uuid=True), ForeignKey("people.id"), nullable=False),
    Column("body_code", Text, ForeignKey("bodies.code"), nullable=False),
    Column("role", Text, nullable=False),
    Column("appointed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("appointed_by", Text, nullable=False),
    Column("removed_at", DateTime(timezone=True)),
    Column("removed_by", Text),
)

accounts = Table(
    "accounts", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("username", Text, nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("person_id", UUID(as_uuid=True), ForeignKey("people.id"), nullable=False, unique=True),
    Column("organisation_code", Text, ForeignKey("organisations.code")),  # the organisation it speaks for
    Column("active", Boolean, nullable=False, server_default="true"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("username", Text, primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", DateTime(timezone=True), nullable=False),
    Column("locked_until", DateTime(timezone=True)),
)


async def create_person(conn: AsyncConnection, *, name: str, mobile: str | None, email: str | None) -> uuid.UUID:
    """Insert a person (already normalised and validated)."""
    person_id = uuid.uuid4()
    await conn.execute(people.insert().values(id=person_id, name=name, mobile=mobile, email=email))
    return person_id


async def get_person(conn: AsyncConnection, *, person_id: uuid.UUID) -> dict | None:
    """A person with their active appointments."""
    row = (await conn.execute(select(people).where(people.c.id == person_id))).mappings().first()
    return {**row, "memberships": await memberships_of(conn, person_id=person_id)} if row else None


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


async def end_appointment(conn: AsyncConnection, *, appointment_id: uuid.UUID, by: str) -> dict | None:
    """Mark an active appointment removed; returns it, or None when there was none."""
    row = (await conn.execute(
        update(appointments).where(appointments.c.id == appointment_id, appointments.c.removed_at.is_(None))
        .values(removed_at=func.now(), removed_by=by).returning(appointments))).mappings().first()
    return dict(row) if row else None


async def body_members(conn: AsyncConnection, *, body_code: str) -> list[dict]:
    """People currently appointed to a body."""
    rows = await conn.execute(
        select(appointments.c.id.label("appointment_id"), appointments.c.role, appointments.c.appointed_at,
               people.c.id.label("person_id"), people.c.name)
        .join(people, people.c.id == appointments.c.person_id)
        .where(appointments.c.body_code == body_code, appointments.c.removed_at.is_(None))
        .order_by(appointments.c.appointed_at))
    return [dict(r) for r in rows.mappings()]


async def find_account(conn: AsyncConnection, *, username: str) -> dict | None:
    """An active account by username, with its person's name and memberships."""
    row = (await conn.execute(
        select(accounts, people.c.name).join(people, people.c.id == accounts.c.person_id)
        .where(accounts.c.username == username, accounts.c.active))).mappings().first()
    if row is None:
        return None
    return {**row, "memberships": await memberships_of(conn, person_id=row["person_id"])}


async def create_account(conn: AsyncConnection, *, username: str, password_hash: str,
                         person_id: uuid.UUID, organisation_code: str | None = None) -> uuid.UUID:
    """Insert an account for a person (staff, or an organisation's representative)."""
    account_id = uuid.uuid4()
    await conn.execute(accounts.insert().values(id=account_id, username=username, password_hash=password_hash,
                                                person_id=person_id, organisation_code=organisation_code))
    return account_id


async def username_taken(conn: AsyncConnection, *, username: str) -> bool:
    """True when an account already uses the username."""
    return (await conn.execute(select(accounts.c.id).where(accounts.c.username == username))).first() is not None


async def sign_in_state(conn: AsyncConnection, *, username: str) -> dict | None:
    """Recent failed sign-ins of a username, locked for update."""
    row = (await conn.execute(select(sign_in_failures).where(sign_in_failures.c.username == username)
                              .with_for_update())).mappings().first()
    return dict(row) if row else None


async def record_failure(conn: AsyncConnection, *, username: str, failures: int, at: datetime,
                         locked_until: datetime | None) -> None:
    """Store the failure count and lock of a username."""
    values = {"failures": failures, "last_failed_at": at, "locked_until": locked_until}
    await conn.execute(insert(sign_in_failures).values(username=username, **values)
                       .on_conflict_do_update(index_elements=["username"], set_=values))


async def clear_failures(conn: AsyncConnection, *, username: str) -> None:
    """Forget failures after a successful sign-in."""
    await conn.execute(sign_in_failures.delete().where(sign_in_failures.c.username == username))
