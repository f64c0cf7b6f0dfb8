"""Evaluation's projections (works, people, memberships), declared conflicts and recorded withdrawals."""

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Row,
    Table,
    Text,
    any_,
    bindparam,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.domain import AWAITING_TIER_1, WITHDRAWN
from shared.db import inbox_table, outbox_table, upsert

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

# Projection of submissions' works: what evaluation needs, plus the submitter's mobile for conflict checks.
works = Table(
    "works", metadata,
    Column("work_id", UUID(as_uuid=True), primary_key=True),
    Column("district", Integer, nullable=False, index=True),
    Column("neighbourhood", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("projected_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("edition", Text),
    Column("submitter_mobile", Text),
    Column("organisation", Text),
    Column("documents", Integer, nullable=False, server_default="0"),  # live documents, from WorkChanged
    Column("documents_at", DateTime(timezone=True)),  # when submissions counted them (newest count wins)
    Column("edited_at", DateTime(timezone=True)),  # the newest WorkChanged applied to the fields above
)

# Projection of registry's people and appointments: who may evaluate, and their ties.
people = Table(
    "people", metadata,
    Column("person_id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("mobile", Text),
    Column("organisations", ARRAY(Text), nullable=False, server_default="{}"),  # codes they speak for or belong to
)

memberships = Table(
    "memberships", metadata,
    Column("appointment_id", UUID(as_uuid=True), primary_key=True),
    Column("person_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("body_code", Text, nullable=False),
    Column("body_kind", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("district", Integer),
    Column("active", Boolean, nullable=False),
)

conflicts = Table(
    "conflicts", metadata,
    Column("person_id", UUID(as_uuid=True), nullable=False),
    Column("work_id", UUID(as_uuid=True), nullable=False),
    Column("reason", Text, nullable=False),
    Column("declared_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("person_id", "work_id"),
)

# Each withdrawal submissions announced, and what it did here (domain.Withdrawal), for the record.
withdrawals = Table(
    "withdrawals", metadata,
    Column("work_id", UUID(as_uuid=True), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("withdrawn_at", DateTime(timezone=True), nullable=False),
    Column("effect", Text, nullable=False),
    Column("round_id", UUID(as_uuid=True)),  # the round it left (or whose closed result stands), if any
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


async def add_work(conn: AsyncConnection, *, values: dict) -> None:
    """Insert a received work; a second copy of the same work changes nothing."""
    await upsert(conn, works, key=("work_id",), values=values, overwrite=False)


async def list_works(conn: AsyncConnection, *, districts: set[int] | None, limit: int, offset: int) -> list[dict]:
    """Works of the given districts (all when None), newest first."""
    query = select(works).order_by(works.c.received_at.desc(), works.c.work_id).limit(limit).offset(offset)
    if districts is not None:
        query = query.where(works.c.district.in_(districts))
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def get_work(conn: AsyncConnection, *, work_id: uuid.UUID, lock: bool = False) -> dict | None:
    """One projected work (locked for a change when asked)."""
    query = select(works).where(works.c.work_id == work_id)
    row = (await conn.execute(query.with_for_update() if lock else query)).mappings().first()
    return dict(row) if row else None


async def lock_work_id(conn: AsyncConnection, *, work_id: uuid.UUID) -> None:
    """Hold a transaction lock on a work id, existing or not: a withdrawal and the work's arrival, handled
    concurrently, must not both miss each other."""
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(str(work_id)))))


async def works_by_ids(conn: AsyncConnection, *, work_ids: list[uuid.UUID]) -> list[dict]:
    """Projected works by id, in id order."""
    # One array parameter rather than an IN list of 10,000 (a round's close): one plan, no huge statement to compile.
    query = select(works).where(works.c.work_id == any_(bindparam("ids", type_=ARRAY(works.c.work_id.type)))) \
        .order_by(works.c.work_id)
    return [dict(r) for r in (await conn.execute(query, {"ids": list(work_ids)})).mappings()]


async def works_to_rank(conn: AsyncConnection, *, work_ids: list[uuid.UUID]) -> list[Row]:
    """What a round's ranking and close need of its works (id, receipt, district, title), as rows: a city-wide
    close reads 10,000, in a third of the time whole works as dicts take."""
    query = select(works.c.work_id, works.c.received_at, works.c.district, works.c.title).where(
        works.c.work_id == any_(bindparam("ids", type_=ARRAY(works.c.work_id.type))))
    return list((await conn.execute(query, {"ids": list(work_ids)})).all())


async def works_with_status(conn: AsyncConnection, *, category: str, status: str, edition: str,
                            district: int | None = None, lock: bool = False) -> list[dict]:
    """Works of an edition and a category in a status (of a district, when given), locked when asked (in id
    order, so two lockers never deadlock; a row changed meanwhile is checked again and left out if it moved).

    Works received without an edition (payloads older than editions) belong to whichever edition asks."""
    query = select(works).where(works.c.category == category, works.c.status == status,
                                or_(works.c.edition == edition, works.c.edition.is_(None)))
    if district is not None:
        query = query.where(works.c.district == district)
    query = query.order_by(works.c.work_id)
    return [dict(r) for r in (await conn.execute(query.with_for_update() if lock else query)).mappings()]


async def awaiting_scopes(conn: AsyncConnection, *, edition: str, status: str) -> list[tuple[int, str]]:
    """(district, category) pairs that have works of this edition in this status."""
    query = (select(works.c.district, works.c.category).distinct()
             .where(works.c.edition == edition, works.c.status == status))
    return [(r[0], r[1]) for r in await conn.execute(query)]


async def apply_change(conn: AsyncConnection, *, work_id: uuid.UUID, edited: dict, documents: int | None,
                       at: datetime) -> bool:
    """Apply a WorkChanged: the edited fields while the work still waits for its round, the document count when
    given; an older change never overwrites a newer one. False when the work is unknown.

    The existence check comes first: events are handled concurrently, and a work whose WorkReceived commits
    between an empty update and a later check would lose the change."""
    if await get_work(conn, work_id=work_id) is None:
        return False
    await conn.execute(update(works).where(
        works.c.work_id == work_id, works.c.status == AWAITING_TIER_1,
        or_(works.c.edited_at.is_(None), works.c.edited_at <= at)).values(**edited, edited_at=at))
    if documents is not None:
        await conn.execute(update(works).where(
            works.c.work_id == work_id, or_(works.c.documents_at.is_(None), works.c.documents_at <= at))
            .values(documents=documents, documents_at=at))
    return True


async def set_status(conn: AsyncConnection, *, work_ids: list[uuid.UUID], status: str) -> None:
    """Move works to a status. A withdrawn work stays withdrawn (even when a concurrent move read it before its
    withdrawal committed): the statement rechecks each row it waited for."""
    if work_ids:
        ids = bindparam("ids", type_=ARRAY(works.c.work_id.type))
        await conn.execute(update(works).where(works.c.work_id == any_(ids), works.c.status != WITHDRAWN)
                           .values(status=status), {"ids": list(work_ids)})


async def withdraw(conn: AsyncConnection, *, work_id: uuid.UUID) -> None:
    """Mark a work withdrawn."""
    await conn.execute(update(works).where(works.c.work_id == work_id).values(status=WITHDRAWN))


async def record_withdrawal(conn: AsyncConnection, *, values: dict) -> None:
    """Record a withdrawal and its effect (the first record of a work stays)."""
    await conn.execute(insert(withdrawals).values(**values).on_conflict_do_nothing(index_elements=["work_id"]))


async def withdrawal_of(conn: AsyncConnection, *, work_id: uuid.UUID) -> dict | None:
    """The recorded withdrawal of a work, if any."""
    row = (await conn.execute(select(withdrawals).where(withdrawals.c.work_id == work_id))).mappings().first()
    return dict(row) if row else None


async def upsert_person(conn: AsyncConnection, *, person_id: uuid.UUID, name: str, mobile: str | None,
                        organisations: list[str]) -> None:
    """Mirror a person as registry described them."""
    values = {"person_id": person_id, "name": name, "mobile": mobile, "organisations": organisations}
    await conn.execute(insert(people).values(**values).on_conflict_do_update(index_elements=["person_id"],
                                                                               set_=values))


async def upsert_membership(conn: AsyncConnection, *, values: dict) -> None:
    """Mirror an appointment (active) or its removal (inactive)."""
    await conn.execute(insert(memberships).values(**values).on_conflict_do_update(
        index_elements=["appointment_id"], set_={"active": values["active"]}))


async def evaluators(conn: AsyncConnection, *, kinds: frozenset[str], roles: frozenset[str],
                     district: int | None) -> list[dict]:
    """People actively appointed to bodies of these kinds in these roles (of a district, when given), with their
    ties: mobile, the districts they work in, the organisations they speak for."""
    query = (select(memberships.c.person_id).distinct().where(
        memberships.c.active, memberships.c.body_kind.in_([str(k) for k in kinds]),
        memberships.c.role.in_([str(r) for r in roles])))
    if district is not None:
        query = query.where(memberships.c.district == district)
    ids = [r[0] for r in await conn.execute(query)]
    if not ids:
        return []
    ties = {r[0]: r for r in await conn.execute(select(people.c.person_id, people.c.mobile, people.c.organisations)
                                                .where(people.c.person_id.in_(ids)))}
    rows = (await conn.execute(select(memberships.c.person_id, memberships.c.district)
                               .where(memberships.c.active, memberships.c.person_id.in_(ids)))).all()
    districts: dict = {person: set() for person in ids}
    for person, home in rows:
        if home is not None:
            districts[person].add(home)
    return [{"person_id": p, "mobile": ties[p][1] if p in ties else None, "districts": frozenset(districts[p]),
             "organisations": frozenset(ties[p][2]) if p in ties else frozenset()} for p in sorted(ids, key=str)]


async def people_names(conn: AsyncConnection, *, person_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """People's names as evaluation mirrors them from the registry (those it has a name for)."""
    if not person_ids:
        return {}
    rows = await conn.execute(select(people.c.person_id, people.c.name).where(people.c.person_id.in_(list(person_ids))))
    return {r[0]: r[1] for r in rows if r[1]}


async def declared_conflicts(conn: AsyncConnection, *, work_ids: list[uuid.UUID]) -> set[tuple[uuid.UUID, uuid.UUID]]:
    """(person, work) pairs declared in conflict, among these works."""
    rows = await conn.execute(select(conflicts.c.person_id, conflicts.c.work_id)
                              .where(conflicts.c.work_id.in_(work_ids)))
    return {(r[0], r[1]) for r in rows}


async def declare_conflict(conn: AsyncConnection, *, person_id: uuid.UUID, work_id: uuid.UUID, reason: str) -> None:
    """Record a declared conflict (idempotent)."""
    await conn.execute(insert(conflicts).values(person_id=person_id, work_id=work_id, reason=reason)
                       .on_conflict_do_nothing())
