"""Keyword-only queries of works and their status history (SQLAlchemy Core: intake is the festival's hot path)."""

import uuid
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.calls.domain import CallState
from services.submissions.db import calls, neighbourhoods, status_history, works
from services.submissions.domain import RECEIVED, WITHDRAWN
from services.submissions.works.submitters import CITIZEN, ORGANISATION

_OFFICE = neighbourhoods.alias("office")
_WORK_COLUMNS = (works, neighbourhoods.c.name_fa.label("neighbourhood"), _OFFICE.c.name_fa.label("office"))


def work_query() -> Select:
    """Works with their neighbourhood's (and office's) name, for the queries that show works."""
    return (select(*_WORK_COLUMNS)
            .join(neighbourhoods, neighbourhoods.c.code == works.c.neighbourhood_code)
            .outerjoin(_OFFICE, _OFFICE.c.code == works.c.office_code))


async def get_work(conn: AsyncConnection, *, work_id: uuid.UUID, for_update: bool = False) -> dict | None:
    """A work with its neighbourhood's (and office's) name; locked for the transaction when for_update."""
    query = work_query().where(works.c.id == work_id)
    if for_update:
        query = query.with_for_update(of=works)
    row = (await conn.execute(query)).mappings().first()
    return dict(row) if row else None


def duplicate_lock_key(kind: str, submitter_id: str, title_key: str) -> str:
    """The advisory lock key of (submitter, title): two concurrent duplicates see each other."""
    return f"work-dup|{kind}|{submitter_id}|{title_key}"


def duplicate_lock(kind: str, submitter_id: str, title_key: str):
    """A transaction-scoped advisory lock on (submitter, title): two concurrent duplicates see each other."""
    return func.pg_advisory_xact_lock(func.hashtextextended(duplicate_lock_key(kind, submitter_id, title_key), 0))


def _duplicate_query(*, edition, title_key, kind: str, submitter_id, exclude: uuid.UUID | None = None) -> Select:
    """The original live work of the same submitter with the same title key in the edition: the earliest not
    itself flagged (a request that waited for the duplicate lock may carry an earlier `created_at`)."""
    who = works.c.organisation_code if kind == ORGANISATION else works.c.submitter_national_id
    query = (select(works.c.id).where(
        works.c.edition == edition, works.c.title_key == title_key, works.c.submitter_kind == kind,
        who == submitter_id, works.c.status != WITHDRAWN)
        .order_by(works.c.possible_duplicate, works.c.created_at, works.c.id).limit(1))
    return query.where(works.c.id != exclude) if exclude is not None else query


async def find_duplicate(conn: AsyncConnection, *, edition: str, title_key: str, kind: str, submitter_id: str,
                         exclude: uuid.UUID | None = None) -> uuid.UUID | None:
    """The earliest live work of the same submitter with the same title in the edition (under the lock)."""
    await conn.execute(select(duplicate_lock(kind, submitter_id, title_key)))
    return (await conn.execute(_duplicate_query(edition=edition, title_key=title_key, kind=kind,
                                                submitter_id=submitter_id, exclude=exclude))).scalar_one_or_none()


# The intake statements are built once, with bind parameters: building a 30-column insert with its CTEs
# per request cost SQLAlchemy more CPU than the database spent running it.
_INTAKE_VALUES = ("id", "tracking_code", "edition", "district", "neighbourhood_code", "office_code", "category",
                  "title", "summary", "submitter_kind", "submitter_name", "submitter_national_id",
                  "submitter_mobile", "organisation_code", "organisation_name", "organisation_legal_id", "team",
                  "beneficiaries", "answers", "status", "status_at", "created_by", "created_at", "title_key",
                  "search_text")


def _intake_context_statement(*, by_edition: bool) -> Select:
    hood = neighbourhoods.alias("hood")
    lock = func.pg_advisory_xact_lock(func.hashtextextended(bindparam("lock_key"), 0))
    query = (select(*calls.c, hood.c.code.label("hood_code"), hood.c.name_fa.label("hood_name"), lock.label("locked"))
             .select_from(calls.outerjoin(hood, and_(hood.c.district == bindparam("district"),
                                                     hood.c.name_fa == bindparam("neighbourhood"), hood.c.active)))
             .limit(1))
    if by_edition:
        return query.where(calls.c.edition == bindparam("edition"))
    now = bindparam("now", type_=calls.c.opens_at.type)
    accepting = and_(calls.c.state == CallState.OPEN, calls.c.opens_at <= now, calls.c.closes_at > now)
    return query.order_by(accepting.desc(), calls.c.edition.desc())


def _insert_received_statement(kind: str) -> Select:
    duplicate = _duplicate_query(edition=bindparam("edition"), title_key=bindparam("title_key"), kind=kind,
                                 submitter_id=bindparam("submitter_id"))
    values = {name: bindparam(name, type_=works.c[name].type) for name in _INTAKE_VALUES}
    inserted = (works.insert().values(**values, duplicate_of=duplicate.scalar_subquery(),
                                      possible_duplicate=duplicate.exists())
                .returning(works.c.id, works.c.duplicate_of, works.c.status_at).cte("inserted"))
    history = status_history.insert().from_select(
        ["work_id", "status", "at", "actor"],
        select(inserted.c.id, literal(RECEIVED), inserted.c.status_at, bindparam("actor"))).cte("history")
    return select(inserted.c.duplicate_of).add_cte(history)


_CONTEXT = {True: _intake_context_statement(by_edition=True), False: _intake_context_statement(by_edition=False)}
_INSERT_RECEIVED = {kind: _insert_received_statement(kind) for kind in (CITIZEN, ORGANISATION)}


async def intake_context(conn: AsyncConnection, *, edition: str | None, now: datetime, district: int,
                         neighbourhood: str, lock_key: str) -> tuple[dict | None, dict | None]:
    """In one round trip, taking the duplicate lock: the call a work goes to (the edition's, else the one taking
    works now, else the newest; None when there is none) and the active neighbourhood of that name in the
    district (code and name_fa; None when there is none, or no call)."""
    params = {"district": district, "neighbourhood": neighbourhood, "lock_key": lock_key}
    params |= {"edition": edition} if edition is not None else {"now": now}
    row = (await conn.execute(_CONTEXT[edition is not None], params)).mappings().first()
    if row is None:
        return None, None
    call = {column.name: row[column.name] for column in calls.c}
    return call, {"code": row["hood_code"], "name_fa": row["hood_name"]} if row["hood_code"] is not None else None


async def insert_received(conn: AsyncConnection, *, values: dict, kind: str, submitter_id: str,
                          actor: str) -> uuid.UUID | None:
    """Insert a received work, flagged when a probable duplicate exists, with its first status, in one
    statement (the caller holds the duplicate lock); returns the duplicate's id or None."""
    params = {name: values.get(name) for name in _INTAKE_VALUES} | {"submitter_id": submitter_id, "actor": actor}
    return (await conn.execute(_INSERT_RECEIVED[kind], params)).scalar_one()


async def work_ids(conn: AsyncConnection, *, edition: str, category: str, status: str,
                   district: int | None = None) -> list[uuid.UUID]:
    """Works of an edition and category (and district) in a status, oldest first."""
    query = select(works.c.id).where(works.c.edition == edition, works.c.category == category,
                                     works.c.status == status).order_by(works.c.created_at, works.c.id)
    if district is not None:
        query = query.where(works.c.district == district)
    return list((await conn.execute(query)).scalars())


async def update_work(conn: AsyncConnection, *, work_id: uuid.UUID, values: dict) -> None:
    """Apply validated changes to a work."""
    await conn.execute(update(works).where(works.c.id == work_id).values(**values, updated_at=func.now()))


async def set_status(conn: AsyncConnection, *, work_id: uuid.UUID, status: str, previous: str | None,
                     at: datetime, actor: str, note: str = "") -> None:
    """Move a work to a status and record it in its history (the caller checked the transition)."""
    if previous is not None:
        await conn.execute(update(works).where(works.c.id == work_id).values(status=status, status_at=at))
    await conn.execute(status_history.insert().values(
        work_id=work_id, status=status, previous_status=previous, at=at, actor=actor, note=note))


async def history(conn: AsyncConnection, *, work_id: uuid.UUID) -> list[dict]:
    """A work's statuses, oldest first."""
    rows = await conn.execute(select(status_history).where(status_history.c.work_id == work_id)
                              .order_by(status_history.c.id))
    return [dict(r) for r in rows.mappings()]


