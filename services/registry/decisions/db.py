"""Decisions and their per-district relay, acknowledgement and implementation: keyword-only queries."""

import uuid
from datetime import datetime
from functools import cache

from sqlalchemy import ColumnElement, Integer, Table, Text, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import TextClause

from services.registry.decisions.domain import UNACKNOWLEDGED
from services.registry.tables import decision_committees, decision_districts, decisions

# What each step writes besides the status.
STEP_COLUMNS = {"relay": ("relay_note", "relayed_at"), "acknowledge": ("ack_note", "acknowledged_at"),
                "implement": ("implemented_note", "implemented_at")}


async def insert_decision(conn: AsyncConnection, *, values: dict) -> None:
    """Store a decision and a row per addressed district (status 'issued')."""
    await conn.execute(decisions.insert().values(**values))
    await conn.execute(decision_districts.insert(), [
        {"decision_id": values["id"], "district": d, "status": "issued"} for d in values["districts"]])
    if values["committees"]:
        await conn.execute(decision_committees.insert(), [
            {"decision_id": values["id"], "committee": code} for code in values["committees"]])


async def get_decision(conn: AsyncConnection, *, decision_id: uuid.UUID) -> dict | None:
    """A decision with its per-district rows."""
    row = (await conn.execute(select(decisions).where(decisions.c.id == decision_id))).mappings().first()
    if row is None:
        return None
    rows = await conn.execute(select(decision_districts).where(decision_districts.c.decision_id == decision_id)
                              .order_by(decision_districts.c.district))
    committees = await conn.execute(select(decision_committees).where(
        decision_committees.c.decision_id == decision_id).order_by(decision_committees.c.committee))
    return {**row, "per_district": [dict(r) for r in rows.mappings()],
            "per_committee": [dict(r) for r in committees.mappings()]}


async def get_header(conn: AsyncConnection, *, decision_id: uuid.UUID) -> dict | None:
    """A decision without its per-district rows."""
    row = (await conn.execute(select(decisions).where(decisions.c.id == decision_id))).mappings().first()
    return dict(row) if row else None


async def district_rows(conn: AsyncConnection, *, decision_id: uuid.UUID, districts: list[int]) -> dict[int, dict]:
    """Districts' rows of a decision by district, locked (in district order) for the step about to change them."""
    dd = decision_districts
    wanted = sorted(set(districts))
    rows = await conn.execute(select(dd).where(dd.c.decision_id == decision_id, dd.c.district.in_(wanted))
                              .order_by(dd.c.district).with_for_update())
    return {row["district"]: dict(row) for row in rows.mappings()}


async def committee_row(conn: AsyncConnection, *, decision_id: uuid.UUID, committee: str) -> dict | None:
    """One addressed committee's row of a decision, locked for its acknowledgement."""
    dc = decision_committees
    row = (await conn.execute(select(dc).where(dc.c.decision_id == decision_id, dc.c.committee == committee)
                              .with_for_update())).mappings().first()
    return dict(row) if row else None


async def record_committee_acknowledgement(conn: AsyncConnection, *, decision_id: uuid.UUID, committee: str,
                                           person: str, note: str) -> None:
    """Write who acknowledged for the committee, with their note and the time."""
    dc = decision_committees
    await conn.execute(update(dc).where(dc.c.decision_id == decision_id, dc.c.committee == committee)
                       .values(acknowledged_by=person, ack_note=note, acknowledged_at=func.now()))


async def record_steps(conn: AsyncConnection, *, decision_id: uuid.UUID, step: str,
                       changes: list[tuple[int, str, str]]) -> None:
    """Write districts' new statuses, each with the step's note, and the time: (district, status, note) each, in
    one statement."""
    if changes:
        await conn.execute(_record_steps_statement(step), {
            "decision_id": decision_id, "districts": [c[0] for c in changes], "statuses": [c[1] for c in changes],
            "notes": [c[2] for c in changes]})


@cache
def _record_steps_statement(step: str) -> TextClause:
    note_column, time_column = STEP_COLUMNS[step]
    return text(
        f"UPDATE decision_districts SET status = u.status, {note_column} = u.note, {time_column} = now() "
        "FROM unnest(:districts, :statuses, :notes) AS u(district, status, note) "
        "WHERE decision_districts.decision_id = :decision_id AND decision_districts.district = u.district"
    ).bindparams(bindparam("decision_id", type_=decision_districts.c.decision_id.type),
                 bindparam("districts", type_=ARRAY(Integer)), bindparam("statuses", type_=ARRAY(Text)),
                 bindparam("notes", type_=ARRAY(Text)))


async def claim_overdue(conn: AsyncConnection, *, now: datetime) -> list[dict]:
    """Mark unacknowledged rows past their deadline overdue and return them (decisions asking for acknowledgement).

    A competing replica's UPDATE waits on the row locks and then finds overdue_at set: each row is
    claimed once.
    """
    dd = decision_districts
    rows = await conn.execute(
        update(dd).where(dd.c.decision_id == decisions.c.id, decisions.c.requires_acknowledgement,
                         dd.c.status.in_(UNACKNOWLEDGED),
                         dd.c.overdue_at.is_(None), decisions.c.ack_deadline < now)
        .values(overdue_at=now).returning(dd.c.decision_id, dd.c.district, decisions.c.ack_deadline))
    return [dict(r) for r in rows.mappings()]


async def claim_committees_overdue(conn: AsyncConnection, *, now: datetime) -> list[dict]:
    """Mark committees' acknowledgements past their deadline overdue and return them (once each, as districts')."""
    dc = decision_committees
    rows = await conn.execute(
        update(dc).where(dc.c.decision_id == decisions.c.id, decisions.c.requires_acknowledgement,
                         dc.c.acknowledged_at.is_(None), dc.c.overdue_at.is_(None), decisions.c.ack_deadline < now)
        .values(overdue_at=now).returning(dc.c.decision_id, dc.c.committee, decisions.c.ack_deadline))
    return [dict(r) for r in rows.mappings()]


async def list_decisions(conn: AsyncConnection, *, district: int | None, limit: int, offset: int,
                         committee: str | None = None) -> list[dict]:
    """Decisions newest first (only those addressed to the district, or the committee, when one is given)."""
    statement = select(decisions).order_by(decisions.c.issued_at.desc()).limit(limit).offset(offset)
    if district is not None:
        statement = statement.where(decisions.c.districts.any(district))
    if committee is not None:
        statement = statement.where(decisions.c.committees.any(committee))
    return [dict(r) for r in (await conn.execute(statement)).mappings()]


async def status_counts(conn: AsyncConnection, *,
                        district: int | None = None) -> dict[int, list[tuple[str, bool, int]]]:
    """Per district (or for one): how many of its decisions are at each status, marked overdue or not (one query,
    whatever the number of districts and decisions); decisions that only inform are not counted."""
    dd = decision_districts
    overdue = dd.c.overdue_at.is_not(None)
    statement = (select(dd.c.district, dd.c.status, overdue, func.count())
                 .join(decisions, decisions.c.id == dd.c.decision_id).where(decisions.c.requires_acknowledgement)
                 .group_by(dd.c.district, dd.c.status, overdue))
    if district is not None:
        statement = statement.where(dd.c.district == district)
    found: dict[int, list[tuple[str, bool, int]]] = {}
    for row in await conn.execute(statement):
        found.setdefault(row[0], []).append((row[1], row[2], row[3]))
    return found


async def district_listing(conn: AsyncConnection, *, district: int, limit: int) -> list[dict]:
    """The decisions addressed to a district, newest first, each with that district's row (status, notes, times)."""
    dd = decision_districts
    statement = (select(decisions, dd.c.status, dd.c.relay_note, dd.c.relayed_at, dd.c.ack_note,
                        dd.c.acknowledged_at, dd.c.implemented_note, dd.c.implemented_at, dd.c.overdue_at)
                 .join(dd, dd.c.decision_id == decisions.c.id).where(dd.c.district == district)
                 .order_by(decisions.c.issued_at.desc()).limit(limit))
    return [dict(r) for r in (await conn.execute(statement)).mappings()]


async def overdue_by_district(conn: AsyncConnection) -> dict[int, list[dict]]:
    """Per district, the decisions it has not acknowledged past their deadline (id, title, deadline)."""
    dd = decision_districts
    statement = (select(dd.c.district, decisions.c.id, decisions.c.title, decisions.c.ack_deadline)
                 .join(decisions, decisions.c.id == dd.c.decision_id)
                 .where(decisions.c.requires_acknowledgement, dd.c.overdue_at.is_not(None),
                        dd.c.status.in_(UNACKNOWLEDGED))
                 .order_by(dd.c.district, decisions.c.ack_deadline))
    found: dict[int, list[dict]] = {}
    for row in await conn.execute(statement):
        found.setdefault(row[0], []).append({"decision_id": str(row[1]), "title": row[2],
                                             "ack_deadline": row[3].isoformat()})
    return found


async def district_rows_of(conn: AsyncConnection, *, decision_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict]]:
    """Per decision, its districts' rows (one query for a page of decisions)."""
    return await _rows_by_decision(conn, decision_districts, decision_districts.c.district, decision_ids)


async def committee_rows_of(conn: AsyncConnection, *, decision_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict]]:
    """Per decision, its addressed committees' rows (one query for a page of decisions)."""
    return await _rows_by_decision(conn, decision_committees, decision_committees.c.committee, decision_ids)


async def _rows_by_decision(conn: AsyncConnection, table: Table, order: ColumnElement,
                            decision_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict]]:
    found: dict[uuid.UUID, list[dict]] = {decision_id: [] for decision_id in decision_ids}
    if decision_ids:
        rows = await conn.execute(select(table).where(table.c.decision_id.in_(decision_ids)).order_by(order))
        for row in rows.mappings():
            found[row["decision_id"]].append(dict(row))
    return found
