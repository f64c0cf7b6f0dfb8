"""Between the tiers and after them: the central secretariat's receipt, and the council's approval of results."""

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds
from services.evaluation.domain import (
    ADVANCED_TIER_1,
    AWARDED,
    IN_TIER_2,
    NOT_AWARDED,
    WITH_JURY,
    missing_documents,
)
from shared.contracts.evaluation import Award, ResultsPublished, SelectionsReceived
from shared.messaging.outbox import add_events
from shared.refusals import Kind, Refusal


async def confirm_receipt(conn: AsyncConnection, *, edition: str, category: str, confirmed_by: str) -> int:
    """The central secretariat confirms it has every district's selections of a category, each with its
    documents; they go to the jury. Refused, changing nothing, while a tier-1 round is open or a document is
    missing, or when the receipt was already confirmed."""
    if await db_rounds.receipt_exists(conn, edition=edition, category=category):
        raise _already_received()
    if await db_rounds.open_rounds_of(conn, edition=edition, category=category, tier=1):
        raise Refusal(Kind.CONFLICT, "tier1_still_open", "هنوز داوری مرحلهٔ اول برخی مناطق باز است.",
                       "Some districts' tier-1 rounds are still open.")
    selected = await db.works_with_status(conn, edition=edition, category=category, status=ADVANCED_TIER_1)
    if not selected:
        raise Refusal(Kind.CONFLICT, "no_selections", "اثر برگزیده‌ای از مناطق نرسیده است.",
                      "No selected works arrived.")
    if missing := missing_documents(selected):
        raise Refusal(Kind.CONFLICT, "documents_missing", "مدارک برخی آثار برگزیده نرسیده است؛ دریافت کامل نیست.",
                       f"{len(missing)} selected works have no documents; the receipt is not complete.",
                       {"work_ids": [str(w) for w in missing]})
    if not await db_rounds.record_receipt(conn, edition=edition, category=category, confirmed_by=confirmed_by):
        raise _already_received()
    await db.set_status(conn, work_ids=[w["work_id"] for w in selected], status=WITH_JURY)
    await add_events(conn, db.outbox, [SelectionsReceived(edition=edition, category=category, works=len(selected))])
    return len(selected)


def _already_received() -> Refusal:
    return Refusal(Kind.CONFLICT, "already_received", "دریافت برگزیدگان این محور پیش‌تر تأیید شده است.",
                    "The receipt of this category's selections was already confirmed.")


async def publish_results(conn: AsyncConnection, *, edition: str, category: str | None) -> int:
    """The council approved: publish proposed awards (of one category or all) as a public event; returns how many."""
    awards = db_rounds.awards
    query = select(awards).where(awards.c.edition == edition, awards.c.published_at.is_(None))
    if category:
        query = query.where(awards.c.category == category)
    rows = [dict(r) for r in (await conn.execute(query.with_for_update())).mappings()]
    for row in rows:
        await conn.execute(update(awards).where(awards.c.edition == edition, awards.c.category == row["category"])
                           .values(published_at=func.now()))
        winners = [a["work_id"] for a in row["awards"]]
        in_jury = await db.works_with_status(conn, edition=edition, category=row["category"], status=IN_TIER_2)
        await db.set_status(conn, work_ids=winners, status=AWARDED)
        await db.set_status(conn, work_ids=[w["work_id"] for w in in_jury if str(w["work_id"]) not in winners],
                            status=NOT_AWARDED)
        await add_events(conn, db.outbox, [ResultsPublished(edition=edition, category=row["category"],
                                                            awards=[Award(**a) for a in row["awards"]])])
    return len(rows)


async def published(conn: AsyncConnection, *, edition: str) -> list[dict]:
    """Published results of an edition (public)."""
    awards = db_rounds.awards
    rows = await conn.execute(select(awards.c.category, awards.c.awards, awards.c.published_at).where(
        awards.c.edition == edition, awards.c.published_at.is_not(None)).order_by(awards.c.category))
    return [dict(r) for r in rows.mappings()]
