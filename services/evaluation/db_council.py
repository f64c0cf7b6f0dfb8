"""The council's settings (quotas, rubrics), the central secretariat's receipts, and the awards the jury proposes
and the council publishes."""

from sqlalchemy import Column, DateTime, Integer, PrimaryKeyConstraint, Table, Text, func, select, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.db import metadata
from services.evaluation.db_rounds import results, rounds
from services.evaluation.domain import CLOSED

quotas = Table(
    "quotas", metadata,
    Column("edition", Text, primary_key=True),
    Column("per_district", Integer, nullable=False),
    Column("exceptions", JSONB, nullable=False),
)

rubrics = Table(
    "rubrics", metadata,
    Column("edition", Text, nullable=False),
    Column("category", Text, nullable=False),  # "*" for every category
    Column("criteria", JSONB, nullable=False),
    PrimaryKeyConstraint("edition", "category"),
)

receipts = Table(
    "receipts", metadata,
    Column("edition", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("confirmed_by", Text, nullable=False),
    Column("confirmed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("edition", "category"),
)

awards = Table(
    "awards", metadata,
    Column("edition", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("awards", JSONB, nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("published_at", DateTime(timezone=True)),
    PrimaryKeyConstraint("edition", "category"),
)


async def _upsert(conn: AsyncConnection, table: Table, *, keys: list[str], values: dict) -> None:
    await conn.execute(insert(table).values(**values).on_conflict_do_update(
        index_elements=keys, set_={k: v for k, v in values.items() if k not in keys}))


async def set_quotas(conn: AsyncConnection, *, edition: str, per_district: int, exceptions: dict[str, int]) -> None:
    """Store the council's quotas of an edition (the latest decision wins)."""
    await _upsert(conn, quotas, keys=["edition"], values={"edition": edition, "per_district": per_district,
                                                          "exceptions": exceptions})


async def set_rubric(conn: AsyncConnection, *, edition: str, category: str, criteria: list[dict]) -> None:
    """Store the council's rubric of an edition's category, "*" for every category (the latest wins)."""
    await _upsert(conn, rubrics, keys=["edition", "category"], values={"edition": edition, "category": category,
                                                                        "criteria": criteria})


async def quota_for(conn: AsyncConnection, *, edition: str, district: int | None, default: int) -> int:
    """The council's quota for a district (or its default), else the platform default."""
    row = (await conn.execute(select(quotas).where(quotas.c.edition == edition))).mappings().first()
    if row is None:
        return default
    return int(row["exceptions"].get(str(district), row["per_district"]))


async def rubric_for(conn: AsyncConnection, *, edition: str, category: str, default: list[dict]) -> list[dict]:
    """The council's rubric for a category (or for every category), else the default."""
    rows = dict((await conn.execute(select(rubrics.c.category, rubrics.c.criteria).where(
        rubrics.c.edition == edition, rubrics.c.category.in_([category, "*"])))).all())
    return rows.get(category) or rows.get("*") or default


async def record_receipt(conn: AsyncConnection, *, edition: str, category: str, confirmed_by: str) -> bool:
    """Record the central secretariat's receipt of a category's selections; False when one was already recorded."""
    inserted = await conn.execute(insert(receipts).values(edition=edition, category=category, confirmed_by=confirmed_by)
                                  .on_conflict_do_nothing().returning(receipts.c.edition))
    return inserted.first() is not None


async def receipt_exists(conn: AsyncConnection, *, edition: str, category: str) -> bool:
    """True once the central secretariat confirmed receipt of a category's selections."""
    return (await conn.execute(select(receipts.c.edition).where(
        receipts.c.edition == edition, receipts.c.category == category))).first() is not None


async def propose_awards(conn: AsyncConnection, *, edition: str, category: str, awards_: list[dict]) -> None:
    """Store the jury's proposed awards of a category (a reopened and closed again round replaces them)."""
    await _upsert(conn, awards, keys=["edition", "category"], values={
        "edition": edition, "category": category, "awards": awards_, "published_at": None})


async def unpublished_awards(conn: AsyncConnection, *, edition: str, category: str | None) -> list[dict]:
    """Proposed awards not yet published (of one category, or all), locked for publishing."""
    query = select(awards).where(awards.c.edition == edition, awards.c.published_at.is_(None))
    if category:
        query = query.where(awards.c.category == category)
    return [dict(r) for r in (await conn.execute(query.order_by(awards.c.category).with_for_update())).mappings()]


async def mark_published(conn: AsyncConnection, *, edition: str, category: str) -> None:
    """Record that a category's awards were published."""
    await conn.execute(update(awards).where(awards.c.edition == edition, awards.c.category == category)
                       .values(published_at=func.now()))


async def published_awards(conn: AsyncConnection, *, edition: str) -> list[dict]:
    """Published awards of an edition, by category."""
    rows = await conn.execute(select(awards.c.category, awards.c.awards, awards.c.published_at).where(
        awards.c.edition == edition, awards.c.published_at.is_not(None)).order_by(awards.c.category))
    return [dict(r) for r in rows.mappings()]


async def published_editions(conn: AsyncConnection) -> list[str]:
    """Editions with at least one published category, newest first."""
    rows = await conn.execute(select(awards.c.edition).where(awards.c.published_at.is_not(None))
                              .group_by(awards.c.edition).order_by(awards.c.edition.desc()))
    return list(rows.scalars())


async def proposed_awards(conn: AsyncConnection, *, edition: str) -> list[dict]:
    """Every category's proposed awards of an edition (published or not), by category."""
    rows = await conn.execute(select(awards.c.category, awards.c.awards, awards.c.proposed_at, awards.c.published_at)
                              .where(awards.c.edition == edition).order_by(awards.c.category))
    return [dict(r) for r in rows.mappings()]


async def jury_results(conn: AsyncConnection, *, edition: str) -> dict[tuple[str, str], dict]:
    """The jury's (tier 2) closed results of an edition: (category, work id) -> score and explanation."""
    rows = await conn.execute(select(rounds.c.category, results.c.work_id, results.c.score, results.c.explanation)
                              .join(rounds, rounds.c.id == results.c.round_id)
                              .where(rounds.c.edition == edition, rounds.c.tier == 2, rounds.c.state == CLOSED)
                              .order_by(rounds.c.closed_at))  # a later close of the same category wins
    return {(r["category"], str(r["work_id"])): dict(r) for r in rows.mappings()}


async def published_award_of(conn: AsyncConnection, *, work_id: str) -> dict | None:
    """The published award of a work (its category's row, with the award itself), or None."""
    row = (await conn.execute(select(awards.c.edition, awards.c.category, awards.c.awards, awards.c.published_at)
                              .where(awards.c.published_at.is_not(None),
                                     awards.c.awards.contains([{"work_id": work_id}]))
                              .order_by(awards.c.published_at.desc()).limit(1))).mappings().first()
    if row is None:
        return None
    award = next(a for a in row["awards"] if a["work_id"] == work_id)
    return {"edition": row["edition"], "category": row["category"], "published_at": row["published_at"], **award}
