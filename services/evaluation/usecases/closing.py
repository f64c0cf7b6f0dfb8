"""A round's ranking, its close (results, who advanced, the jury's proposed awards, events) and its reopening; the
rounds a person manages or evaluates in."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain

from sqlalchemy import Row, func
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_council, db_rounds
from services.evaluation.domain import (
    ADVANCED_TIER_1,
    CLOSED,
    NOT_ADVANCED_TIER_1,
    OPEN,
    awards_from,
    check_closable,
    check_complete,
    check_quorum,
    check_reopenable,
    in_round_status,
)
from services.evaluation.permissions import PERMISSIONS, Capability, may_manage
from services.evaluation.ranking import Criterion, Placing, Sheet, Work, explanation, rank
from services.evaluation.usecases.common import load_round, require_manager
from shared.contracts.base import Event
from shared.contracts.evaluation import (
    Award,
    AwardsProposed,
    RoundClosed,
    WorkAdvanced,
    WorkEvaluated,
    WorkNotAdvanced,
)
from shared.memory import collection_paused
from shared.messaging.outbox import add_events
from shared.principal import Principal


async def list_rounds(conn: AsyncConnection, principal: Principal) -> list[dict]:
    """Rounds the principal manages or evaluates in, newest first."""
    managed = [r for r in await db_rounds.list_rounds(conn) if may_manage(principal, r)]
    mine = await db_rounds.list_rounds(conn, evaluator=uuid.UUID(principal.subject))
    return list({r["id"]: r for r in managed + mine}.values())


@dataclass(frozen=True)
class Ranked:
    """A round's ranking and what it was computed from."""

    placings: list[Placing]
    works: dict[uuid.UUID, Row]  # the works still in the round, by id (db.works_to_rank)
    plan: dict[uuid.UUID, list[uuid.UUID]]  # work -> its evaluators
    submitted: set[tuple[uuid.UUID, uuid.UUID]]  # (work, evaluator) of every submitted sheet


async def rank_round(conn: AsyncConnection, round_: dict) -> Ranked:
    """The round's ranking from its stored submitted sheets (the same sheets always give the same ranking).
    Only the works still in the round and their live assignments count: a withdrawn work's sheets do not, nor
    the sheet of an evaluator the work was taken from."""
    with collection_paused():
        return await _rank_round(conn, round_)


async def _rank_round(conn: AsyncConnection, round_: dict) -> Ranked:
    rubric = [Criterion(c["code"], c["weight"], c["min_score"], c["max_score"]) for c in round_["rubric"]]
    plan: dict[uuid.UUID, list[uuid.UUID]] = {}
    sheets = []
    for work, evaluator, scores in await db_rounds.assigned_scores(conn, round_id=round_["id"],
                                                                   codes=[c.code for c in rubric]):
        plan.setdefault(work, []).append(evaluator)
        if scores is not None:
            sheets.append(Sheet(work, evaluator, scores))
    works = await db.works_to_rank(conn, work_ids=list(plan))
    placings = rank([Work(w.work_id, w.received_at) for w in works], sheets, rubric, round_["quota"])
    return Ranked(placings, {w.work_id: w for w in works}, plan, {(s.work_id, s.evaluator_id) for s in sheets})


async def ranking_of(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID) -> list[dict]:
    """The ranking with an explanation per work, for its managers: a live preview while the round is open, the
    stored result once it closed."""
    round_ = await load_round(conn, round_id)
    require_manager(principal, round_)
    if round_["state"] == CLOSED:
        return [{"work_id": r["work_id"], **r["explanation"]}
                for r in await db_rounds.round_results(conn, round_id=round_id)]
    return [{"work_id": p.work_id, **explanation(p)} for p in (await rank_round(conn, round_)).placings]


async def close_round(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID,
                      quorum: int | None = None) -> list[uuid.UUID]:
    """A manager closes the round; returns the works that advanced. Refused while sheets are missing, unless
    closing with a quorum at or after the deadline (each work then needs `quorum` submitted sheets)."""
    round_ = await load_round(conn, round_id, lock=True)
    require_manager(principal, round_)
    check_closable(round_["state"])
    return await close_loaded_round(conn, round_=round_, closed_by=principal.subject, quorum=quorum)


async def close_loaded_round(conn: AsyncConnection, *, round_: dict, closed_by: str,
                             quorum: int | None = None) -> list[uuid.UUID]:
    """Rank the (locked) round, store the results, move the works on and publish the outcome; returns the works
    that advanced. Closed with a quorum, each work's explanation names the evaluators who were absent (assigned,
    never submitted)."""
    with collection_paused():
        return await _close_loaded_round(conn, round_, closed_by, quorum)


async def _close_loaded_round(conn: AsyncConnection, round_: dict, closed_by: str,
                              quorum: int | None) -> list[uuid.UUID]:
    ranked = await rank_round(conn, round_)
    if quorum is None:
        check_complete(ranked.plan, ranked.submitted, round_["short"], round_["k"])
        absent: dict[uuid.UUID, list[uuid.UUID]] = {}
    else:
        absent = check_quorum(round_["deadline"], datetime.now(UTC), ranked.plan, ranked.submitted, round_["short"],
                              quorum)
    placings, works = ranked.placings, ranked.works
    # Results and events are made as they are stored: PostgreSQL writes the first while Python makes the rest.
    await db_rounds.store_results(conn, round_id=round_["id"], rows=(
        {"work_id": p.work_id, "rank": p.rank, "score": p.normalised_total, "advanced": p.advanced,
         "explanation": {**explanation(p), **_absence(absent, p.work_id, quorum)}} for p in placings))
    await db_rounds.set_state(conn, round_id=round_["id"], values={"state": CLOSED, "closed_by": closed_by,
                                                                   "closed_at": func.now()})
    closed = RoundClosed(round_id=round_["id"], edition=round_["edition"], tier=round_["tier"],
                         category=round_["category"], district=round_["district"], deadline=round_["deadline"])
    if round_["tier"] == 1:
        await db.set_status(conn, work_ids=[p.work_id for p in placings if p.advanced], status=ADVANCED_TIER_1)
        await db.set_status(conn, work_ids=[p.work_id for p in placings if not p.advanced], status=NOT_ADVANCED_TIER_1)
        proposed = []
    else:
        proposed = [await _propose_awards(conn, round_, placings, works)]
    await add_events(conn, db.outbox, chain([closed], _outcome_events(round_, placings, works), proposed),
                     correlation_id=str(round_["id"]))
    return [p.work_id for p in placings if p.advanced]


def _absence(absent: dict[uuid.UUID, list[uuid.UUID]], work_id: uuid.UUID, quorum: int | None) -> dict:
    """What a quorum close adds to a work's explanation: the quorum and who was absent."""
    if quorum is None:
        return {}
    return {"closed_with_quorum": quorum, "absent_evaluators": [str(e) for e in absent.get(work_id, [])]}


def _outcome_events(round_: dict, placings: list[Placing], works: dict[uuid.UUID, Row]) -> Iterator[Event]:
    """Each work's evaluation, and at tier 1 whether it advanced."""
    common = {"round_id": round_["id"], "tier": round_["tier"], "category": round_["category"]}
    for p in placings:
        district = works[p.work_id].district
        yield WorkEvaluated(**common, work_id=p.work_id, district=district, rank=p.rank,
                            score=p.normalised_total or 0.0)
        if round_["tier"] == 1:
            outcome = WorkAdvanced if p.advanced else WorkNotAdvanced
            yield outcome(**common, work_id=p.work_id, district=district, rank=p.rank)


async def _propose_awards(conn: AsyncConnection, round_: dict, placings: list[Placing],
                          works: dict[uuid.UUID, Row]) -> AwardsProposed:
    """Store the jury's proposed awards (the council publishes them); the event that announces them."""
    proposed = awards_from([{"work_id": p.work_id, "district": works[p.work_id].district,
                             "title": works[p.work_id].title} for p in placings if p.advanced])
    await db_council.propose_awards(conn, edition=round_["edition"], category=round_["category"],
                                    awards_=[{**a, "work_id": str(a["work_id"])} for a in proposed])
    return AwardsProposed(edition=round_["edition"], category=round_["category"],
                          awards=[Award(**a) for a in proposed])


async def reopen_round(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID, reason: str) -> int:
    """The festival secretary reopens a closed round, recording who and why; returns how many reopenings it had."""
    PERMISSIONS.require(principal, Capability.REOPEN_ROUND)
    round_ = await load_round(conn, round_id, lock=True)
    receipt = round_["tier"] == 1 and await db_council.receipt_exists(conn, edition=round_["edition"],
                                                                      category=round_["category"])
    check_reopenable(round_["state"], round_["tier"], receipt_confirmed=receipt)
    record = [*round_["reopenings"], {"by": principal.subject, "reason": reason}]
    await db_rounds.set_state(conn, round_id=round_id, values={"state": OPEN, "reopenings": record})
    plan = await db_rounds.round_assignments(conn, round_id=round_id)
    await db.set_status(conn, work_ids=list(plan), status=in_round_status(round_["tier"]))
    return len(record)
