"""What the secretariat's spreadsheets of evaluation read: a round's ranking with each work's title, every
evaluator's sheet of a round, and an edition's published results. Reads only, with the same permissions as the
JSON routes they mirror (the ranking's managers; the published results are public)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds
from services.evaluation.usecases import closing, council
from services.evaluation.usecases.common import load_round, require_manager
from shared.principal import Principal


async def _titles(conn: AsyncConnection, work_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict]:
    return {w["work_id"]: w for w in await db.works_by_ids(conn, work_ids=work_ids)}


async def _names(conn: AsyncConnection, person_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Evaluators' names as evaluation mirrors them (the id when a name never arrived)."""
    found = await db.people_names(conn, person_ids=person_ids)
    return {p: found.get(p) or str(p) for p in person_ids}


async def ranking(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID) -> dict:
    """A round and its ranking (as GET /rounds/{id}/ranking), each placing with its work's title and district."""
    placings = await closing.ranking_of(conn, principal, round_id=round_id)  # refuses anyone but its managers
    round_ = await load_round(conn, round_id)
    works = await _titles(conn, [p["work_id"] for p in placings])
    return {"round": round_, "placings": [{**p, "work": works.get(p["work_id"], {})} for p in placings]}


async def score_sheets(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID) -> dict:
    """Every evaluator's sheet of a round (drafts too, with their state) and its scores per criterion, for the
    round's managers."""
    round_ = await load_round(conn, round_id)
    require_manager(principal, round_)
    sheets = await db_rounds.round_sheets(conn, round_id=round_id)
    works = await _titles(conn, list({s["work_id"] for s in sheets}))
    names = await _names(conn, {s["evaluator_id"] for s in sheets})
    rows = [{**s, "work": works.get(s["work_id"], {}), "evaluator": names[s["evaluator_id"]]} for s in sheets]
    rows.sort(key=lambda s: (s["evaluator"], s["work"].get("title", "")))
    return {"round": round_, "sheets": rows}


async def results(conn: AsyncConnection, *, edition: str) -> list[dict]:
    """An edition's published awards, one row per award (public, as GET /results/{edition})."""
    return [{**award, "category": row["category"], "published_at": row["published_at"]}
            for row in await council.published_results(conn, edition=edition) for award in row["awards"]]
