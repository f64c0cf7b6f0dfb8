"""Rounds, their assignments, score sheets and results."""

import uuid
from collections.abc import Iterable

from pydantic_core import to_json
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Table,
    Text,
    and_,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSON, JSONB, UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.db import metadata
from shared.db import copy_rows

rounds = Table(
    "rounds", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("edition", Text, nullable=False),
    Column("tier", Integer, nullable=False),
    Column("district", Integer),
    Column("category", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("deadline", DateTime(timezone=True)),
    Column("k", Integer, nullable=False),
    Column("quota", Integer, nullable=False),
    Column("rubric", JSONB, nullable=False),
    Column("opened_by", Text, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("closed_by", Text),
    Column("closed_at", DateTime(timezone=True)),
    Column("reopenings", JSONB, nullable=False, server_default="[]"),
    Column("short", JSONB, nullable=False, server_default="{}"),  # work -> evaluators it lacked at opening
)
# One round per edition, tier, category and district (the city's tier-2 round has no district).
Index("rounds_one_per_scope", rounds.c.edition, rounds.c.tier, rounds.c.category,
      func.coalesce(rounds.c.district, 0), unique=True)

assignments = Table(
    "assignments", metadata,
    Column("round_id", UUID(as_uuid=True), ForeignKey("rounds.id"), nullable=False),
    Column("work_id", UUID(as_uuid=True), nullable=False),
    Column("evaluator_id", UUID(as_uuid=True), nullable=False),
    # An ended assignment stays, for the record (its draft sheet too): reassigned, or the appointment ended.
    Column("ended_at", DateTime(timezone=True)),
    Column("ended_by", Text),
    Column("ended_reason", Text),
    Column("replaced_by", UUID(as_uuid=True)),
    PrimaryKeyConstraint("round_id", "work_id", "evaluator_id"),
)
ACTIVE = assignments.c.ended_at.is_(None)

sheets = Table(
    "sheets", metadata,
    Column("round_id", UUID(as_uuid=True), ForeignKey("rounds.id"), nullable=False),
    Column("work_id", UUID(as_uuid=True), nullable=False),
    Column("evaluator_id", UUID(as_uuid=True), nullable=False),
    Column("scores", JSONB, nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    Column("state", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("round_id", "work_id", "evaluator_id"),
)

results = Table(
    "results", metadata,
    Column("round_id", UUID(as_uuid=True), ForeignKey("rounds.id"), nullable=False),
    Column("work_id", UUID(as_uuid=True), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("score", Float),
    Column("advanced", Boolean, nullable=False),
    # json, not jsonb: written once by a close and read whole, in the order explanation() gives its fields (jsonb
    # would reorder them, and take each apart on the way in: a close writes 10,000).
    Column("explanation", JSON, nullable=False),
    PrimaryKeyConstraint("round_id", "work_id"),
)

async def insert_round(conn: AsyncConnection, *, values: dict, plan: dict[uuid.UUID, list[uuid.UUID]]) -> None:
    """Store a round and its assignments."""
    await conn.execute(rounds.insert().values(**values))
    rows = [{"round_id": values["id"], "work_id": w, "evaluator_id": e} for w, people in plan.items() for e in people]
    if rows:
        await conn.execute(assignments.insert(), rows)


async def get_round(conn: AsyncConnection, *, round_id: uuid.UUID, lock: bool = False) -> dict | None:
    """A round (locked for a state change when asked)."""
    query = select(rounds).where(rounds.c.id == round_id)
    row = (await conn.execute(query.with_for_update() if lock else query)).mappings().first()
    return dict(row) if row else None


async def list_rounds(conn: AsyncConnection, *, evaluator: uuid.UUID | None = None) -> list[dict]:
    """Rounds, newest first (only those the evaluator has works in, when given)."""
    query = select(rounds).order_by(rounds.c.opened_at.desc())
    if evaluator is not None:
        query = query.where(rounds.c.id.in_(select(assignments.c.round_id).where(
            assignments.c.evaluator_id == evaluator, ACTIVE)))
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def round_assignments(conn: AsyncConnection, *, round_id: uuid.UUID) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Work -> its evaluators in a round (ended assignments left out)."""
    plan: dict[uuid.UUID, list[uuid.UUID]] = {}
    for work, evaluator in await conn.execute(select(assignments.c.work_id, assignments.c.evaluator_id)
                                              .where(assignments.c.round_id == round_id, ACTIVE)):
        plan.setdefault(work, []).append(evaluator)
    return plan


async def is_assigned(conn: AsyncConnection, *, round_id: uuid.UUID, work_id: uuid.UUID,
                      evaluator_id: uuid.UUID) -> bool:
    """True when the evaluator has this work in this round (and the assignment has not ended)."""
    return (await conn.execute(select(assignments.c.work_id).where(
        assignments.c.round_id == round_id, assignments.c.work_id == work_id,
        assignments.c.evaluator_id == evaluator_id, ACTIVE))).first() is not None


async def replace_assignment(conn: AsyncConnection, *, round_id: uuid.UUID, work_id: uuid.UUID,
                             old: uuid.UUID, new: uuid.UUID | None) -> None:
    """Take a work from one evaluator (and their sheet), giving it to another when there is one."""
    keys = and_(assignments.c.round_id == round_id, assignments.c.work_id == work_id)
    await conn.execute(assignments.delete().where(keys, assignments.c.evaluator_id == old))
    await conn.execute(sheets.delete().where(sheets.c.round_id == round_id, sheets.c.work_id == work_id,
                                             sheets.c.evaluator_id == old))
    if new is not None:
        await conn.execute(assignments.insert().values(round_id=round_id, work_id=work_id, evaluator_id=new))


async def save_sheet(conn: AsyncConnection, *, values: dict) -> None:
    """Create or update an evaluator's sheet for a work."""
    await conn.execute(insert(sheets).values(**values).on_conflict_do_update(
        index_elements=["round_id", "work_id", "evaluator_id"],
        set_={"scores": values["scores"], "comment": values["comment"], "state": values["state"],
              "updated_at": func.now()}))


async def round_sheets(conn: AsyncConnection, *, round_id: uuid.UUID, evaluator: uuid.UUID | None = None,
                       work_id: uuid.UUID | None = None, submitted_only: bool = False) -> list[dict]:
    """Sheets of a round, optionally one evaluator's, one work's, or only the submitted ones."""
    query = select(sheets).where(sheets.c.round_id == round_id)
    if evaluator is not None:
        query = query.where(sheets.c.evaluator_id == evaluator)
    if work_id is not None:
        query = query.where(sheets.c.work_id == work_id)
    if submitted_only:
        query = query.where(sheets.c.state == "submitted")
    return [dict(r) for r in (await conn.execute(query)).mappings()]


async def assigned_scores(conn: AsyncConnection, *, round_id: uuid.UUID, codes: list[str]
                          ) -> list[tuple[uuid.UUID, uuid.UUID, dict[str, float] | None]]:
    """(work, evaluator, {criterion: score}, or None before the sheet is submitted) of every live assignment of a
    round, in one read: what its ranking needs (a close reads 30,000). The scores come out of the JSON in the
    database as numbers."""
    submitted = (sheets.c.round_id == assignments.c.round_id) & (sheets.c.work_id == assignments.c.work_id) & (
        sheets.c.evaluator_id == assignments.c.evaluator_id) & (sheets.c.state == "submitted")
    columns = [sheets.c.scores[code].astext.cast(Float) for code in codes]
    rows = await conn.execute(
        select(assignments.c.work_id, assignments.c.evaluator_id, sheets.c.round_id.is_not(None), *columns)
        .select_from(assignments.outerjoin(sheets, submitted)).where(assignments.c.round_id == round_id, ACTIVE))
    return [(row[0], row[1], dict(zip(codes, row[3:], strict=True)) if row[2] else None) for row in rows]


async def store_results(conn: AsyncConnection, *, round_id: uuid.UUID, rows: Iterable[dict]) -> None:
    """Replace a round's results (a reopened round is ranked again); rows from a generator are made as they are
    sent, while PostgreSQL stores the first ones."""
    await conn.execute(results.delete().where(results.c.round_id == round_id))
    # COPY, and the JSON by pydantic's serialiser (a fourth of json.dumps' time): a city-wide close stores 10,000.
    await copy_rows(conn, results.name, ["round_id", "work_id", "rank", "score", "advanced", "explanation"], (
        (round_id, r["work_id"], r["rank"], r["score"], r["advanced"], to_json(r["explanation"]).decode())
        for r in rows))


async def round_results(conn: AsyncConnection, *, round_id: uuid.UUID) -> list[dict]:
    """A closed round's results in rank order."""
    return [dict(r) for r in (await conn.execute(
        select(results).where(results.c.round_id == round_id).order_by(results.c.rank))).mappings()]


async def set_state(conn: AsyncConnection, *, round_id: uuid.UUID, values: dict) -> None:
    """Change a round's state columns."""
    await conn.execute(update(rounds).where(rounds.c.id == round_id).values(**values))


async def open_rounds_of(conn: AsyncConnection, *, edition: str, category: str, tier: int) -> list[dict]:
    """Rounds of an edition, category and tier that are not closed."""
    return [dict(r) for r in (await conn.execute(select(rounds).where(
        rounds.c.edition == edition, rounds.c.category == category, rounds.c.tier == tier,
        rounds.c.state != "closed"))).mappings()]


async def round_scopes(conn: AsyncConnection, *, edition: str, tier: int) -> set[tuple[int | None, str]]:
    """(district, category) of every round of an edition and tier, open or closed."""
    return {(r[0], r[1]) for r in await conn.execute(select(rounds.c.district, rounds.c.category).where(
        rounds.c.edition == edition, rounds.c.tier == tier))}


async def short_rounds(conn: AsyncConnection, *, tier: int, district: int) -> list[dict]:
    """Open rounds of a district with works still short of evaluators, locked for the top-up."""
    query = select(rounds).where(rounds.c.tier == tier, rounds.c.district == district, rounds.c.state == "open",
                                 rounds.c.short != {}).order_by(rounds.c.opened_at)
    return [dict(r) for r in (await conn.execute(query.with_for_update())).mappings()]


async def add_assignments(conn: AsyncConnection, *, round_id: uuid.UUID,
                          plan: dict[uuid.UUID, list[uuid.UUID]]) -> None:
    """Add evaluators to works of a round."""
    rows = [{"round_id": round_id, "work_id": w, "evaluator_id": e} for w, people in plan.items() for e in people]
    if rows:
        await conn.execute(insert(assignments).values(rows).on_conflict_do_nothing())


async def rounds_holding(conn: AsyncConnection, *, work_id: uuid.UUID, lock: bool = False) -> list[dict]:
    """Rounds the work is in (assigned, or listed as lacking evaluators), in id order; locked when asked."""
    query = select(rounds).where(or_(
        rounds.c.id.in_(select(assignments.c.round_id).where(assignments.c.work_id == work_id, ACTIVE)),
        rounds.c.short.has_key(str(work_id)))).order_by(rounds.c.id)
    return [dict(r) for r in (await conn.execute(query.with_for_update() if lock else query)).mappings()]


async def remove_work(conn: AsyncConnection, *, round_id: uuid.UUID, work_id: uuid.UUID) -> None:
    """Take a work out of a round: its assignments and its shortfall go; its sheets (and ended assignments)
    stay, for the record."""
    await conn.execute(assignments.delete().where(assignments.c.round_id == round_id,
                                                  assignments.c.work_id == work_id, ACTIVE))
    await conn.execute(update(rounds).where(rounds.c.id == round_id)
                       .values(short=rounds.c.short.op("-", return_type=JSONB)(literal(str(work_id), Text))))


async def ever_held(conn: AsyncConnection, *, round_id: uuid.UUID, work_ids: list[uuid.UUID]) -> set[
        tuple[uuid.UUID, uuid.UUID]]:
    """(evaluator, work) of every ended assignment among these works of a round: nobody is given back a work taken
    from them (their draft stays on record under the same key)."""
    rows = await conn.execute(select(assignments.c.evaluator_id, assignments.c.work_id).where(
        assignments.c.round_id == round_id, assignments.c.work_id.in_(work_ids), assignments.c.ended_at.is_not(None)))
    return {(r[0], r[1]) for r in rows}


async def end_assignment(conn: AsyncConnection, *, round_id: uuid.UUID, work_id: uuid.UUID, old: uuid.UUID,
                         new: uuid.UUID | None, by: str, reason: str) -> None:
    """End an evaluator's assignment (kept, with their sheet, for the record) and give the work to `new`, if any."""
    await conn.execute(update(assignments).where(
        assignments.c.round_id == round_id, assignments.c.work_id == work_id, assignments.c.evaluator_id == old,
        ACTIVE).values(ended_at=func.now(), ended_by=by, ended_reason=reason, replaced_by=new))
    if new is not None:
        await conn.execute(assignments.insert().values(round_id=round_id, work_id=work_id, evaluator_id=new))


async def unscored_assignments(conn: AsyncConnection, *, evaluator: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(round, work) of the evaluator's live assignments in open rounds without a submitted sheet, in order."""
    submitted = select(sheets.c.work_id).where(sheets.c.round_id == assignments.c.round_id,
                                               sheets.c.evaluator_id == evaluator, sheets.c.state == "submitted",
                                               sheets.c.work_id == assignments.c.work_id)
    query = (select(assignments.c.round_id, assignments.c.work_id)
             .join(rounds, rounds.c.id == assignments.c.round_id)
             .where(assignments.c.evaluator_id == evaluator, ACTIVE, rounds.c.state == "open", ~submitted.exists())
             .order_by(assignments.c.round_id, assignments.c.work_id))
    return [(r[0], r[1]) for r in await conn.execute(query)]


async def add_short(conn: AsyncConnection, *, round_id: uuid.UUID, work_id: uuid.UUID) -> None:
    """Record one more evaluator lacking for a work of a round (nobody eligible was left to take it)."""
    key = str(work_id)
    round_ = await get_round(conn, round_id=round_id)
    short = {**round_["short"], key: round_["short"].get(key, 0) + 1} if round_ else {key: 1}
    await set_state(conn, round_id=round_id, values={"short": short})
