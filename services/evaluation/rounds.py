"""Round operations inside the caller's transaction: open with assignments, close with ranking, reopen, conflicts."""

import uuid
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds
from services.evaluation.assignment import Candidate, Entry, assign, conflict
from services.evaluation.domain import (
    ADVANCED_TIER_1,
    AWAITING_TIER_1,
    CLOSED,
    DEFAULT_QUOTA,
    DEFAULT_RUBRIC,
    EVALUATING_ROLES,
    HONOURABLE_MENTIONS,
    IN_TIER_1,
    IN_TIER_2,
    NOT_ADVANCED_TIER_1,
    OPEN,
    PLACES,
    TIER_1_KINDS,
    TIER_2_KINDS,
    WITH_JURY,
    awards_from,
)
from services.evaluation.ranking import Criterion, Sheet, Work, explanation, rank
from shared.contracts.evaluation import (
    Award,
    AwardsProposed,
    RoundClosed,
    RoundOpened,
    WorkAdvanced,
    WorkAssigned,
    WorkEvaluated,
    WorkNotAdvanced,
)
from shared.errors import ApiError
from shared.messaging.outbox import add_events


async def _candidates(conn: AsyncConnection, tier: int, district: int | None) -> list[Candidate]:
    kinds = TIER_1_KINDS if tier == 1 else TIER_2_KINDS
    rows = await db.evaluators(conn, kinds=kinds, roles=EVALUATING_ROLES, district=district if tier == 1 else None)
    return [Candidate(person_id=r["person_id"], mobile=r["mobile"], districts=r["districts"]) for r in rows]


def _entry(work: dict) -> Entry:
    return Entry(work_id=work["work_id"], district=work["district"], submitter_mobile=work["submitter_mobile"],
                 organisation=work["organisation"])


async def open_round(conn: AsyncConnection, *, edition: str, tier: int, district: int | None, category: str,
                     deadline: datetime | None, k: int, opened_by: str) -> uuid.UUID:
    """Open a round over the works waiting for it and assign k conflict-free evaluators to each, or refuse."""
    status = AWAITING_TIER_1 if tier == 1 else WITH_JURY
    works = await db.works_with_status(conn, category=category, status=status, district=district)
    if not works:
        raise ApiError(409, "no_works", "اثری برای این مرحله در انتظار داوری نیست.",
                       "No works are waiting for this round.")
    entries = [_entry(w) for w in works]
    candidates = await _candidates(conn, tier, district)
    declared = await db.declared_conflicts(conn, work_ids=[e.work_id for e in entries])
    plan = assign(entries, candidates, declared, k=k, tier=tier)
    if plan.short:
        raise ApiError(409, "too_few_evaluators", "داوران بدون تعارض منافع برای این آثار کافی نیستند.",
                       f"Too few conflict-free evaluators: {len(plan.short)} works cannot get {k}.",
                       {str(w): missing for w, missing in plan.short.items()})
    round_id = uuid.uuid4()
    quota = (len(PLACES) + HONOURABLE_MENTIONS if tier == 2 else
             await db_rounds.quota_for(conn, edition=edition, district=district, default=DEFAULT_QUOTA))
    rubric = await db_rounds.rubric_for(conn, edition=edition, category=category, default=DEFAULT_RUBRIC)
    await db_rounds.insert_round(conn, plan=plan.assignments, values={
        "id": round_id, "edition": edition, "tier": tier, "district": district, "category": category, "state": OPEN,
        "deadline": deadline, "k": k, "quota": quota, "rubric": rubric, "opened_by": opened_by})
    await db.set_status(conn, work_ids=[e.work_id for e in entries], status=IN_TIER_1 if tier == 1 else IN_TIER_2)
    evaluators = sorted({p for people in plan.assignments.values() for p in people}, key=str)
    await add_events(conn, db.outbox, [
        RoundOpened(round_id=round_id, edition=edition, tier=tier, category=category, district=district,
                    deadline=deadline, evaluator_ids=evaluators),
        *[WorkAssigned(round_id=round_id, work_id=e.work_id, district=e.district, evaluator_ids=plan.assignments[
            e.work_id]) for e in entries],
    ], correlation_id=str(round_id))
    return round_id


async def ranking(conn: AsyncConnection, round_: dict):
    """The round's ranking from its stored submitted sheets (the same sheets always give the same ranking)."""
    plan = await db_rounds.round_assignments(conn, round_id=round_["id"])
    works = await db.works_by_ids(conn, work_ids=list(plan))
    sheets = await db_rounds.round_sheets(conn, round_id=round_["id"], submitted_only=True)
    rubric = [Criterion(c["code"], c["weight"], c["min_score"], c["max_score"]) for c in round_["rubric"]]
    placings = rank([Work(w["work_id"], w["received_at"]) for w in works],
                    [Sheet(s["work_id"], s["evaluator_id"], s["scores"]) for s in sheets], rubric, round_["quota"])
    return placings, {w["work_id"]: w for w in works}, plan, sheets


async def close_round(conn: AsyncConnection, *, round_: dict, closed_by: str) -> list[dict]:
    """Rank, store the results, move the works on and publish the outcome; refuses while sheets are missing."""
    placings, works, plan, sheets = await ranking(conn, round_)
    submitted = {(s["work_id"], s["evaluator_id"]) for s in sheets}
    missing = [(w, e) for w, people in plan.items() for e in people if (w, e) not in submitted]
    short = [w for w, people in plan.items() if len(people) < round_["k"]]
    if missing or short:
        raise ApiError(409, "sheets_missing", "همهٔ برگه‌های امتیاز هنوز ثبت نهایی نشده‌اند.",
                       f"{len(missing)} score sheets are not submitted; {len(short)} works lack evaluators.",
                       {"missing_sheets": len(missing), "works_lacking_evaluators": [str(w) for w in short]})
    rows = [{"work_id": p.work_id, "rank": p.rank, "score": p.normalised_total, "advanced": p.advanced,
             "explanation": explanation(p)} for p in placings]
    await db_rounds.store_results(conn, round_id=round_["id"], rows=rows)
    await db_rounds.set_state(conn, round_id=round_["id"], values={"state": CLOSED, "closed_by": closed_by,
                                                                   "closed_at": func.now()})
    common = {"round_id": round_["id"], "tier": round_["tier"], "category": round_["category"]}
    events = [RoundClosed(round_id=round_["id"], edition=round_["edition"], tier=round_["tier"],
                          category=round_["category"], district=round_["district"], deadline=round_["deadline"])]
    for p in placings:
        district = works[p.work_id]["district"]
        events.append(WorkEvaluated(**common, work_id=p.work_id, district=district, rank=p.rank,
                                    score=p.normalised_total or 0.0))
        outcome = WorkAdvanced if p.advanced else WorkNotAdvanced
        if round_["tier"] == 1:
            events.append(outcome(**common, work_id=p.work_id, district=district, rank=p.rank))
    if round_["tier"] == 1:
        await db.set_status(conn, work_ids=[p.work_id for p in placings if p.advanced], status=ADVANCED_TIER_1)
        await db.set_status(conn, work_ids=[p.work_id for p in placings if not p.advanced], status=NOT_ADVANCED_TIER_1)
    else:
        proposed = awards_from([{"work_id": p.work_id, "district": works[p.work_id]["district"],
                                 "title": works[p.work_id]["title"]} for p in placings if p.advanced])
        await db_rounds.upsert_setting(conn, db_rounds.awards, keys=["edition", "category"], values={
            "edition": round_["edition"], "category": round_["category"],
            "awards": [{**a, "work_id": str(a["work_id"])} for a in proposed], "published_at": None})
        events.append(AwardsProposed(edition=round_["edition"], category=round_["category"],
                                     awards=[Award(**a) for a in proposed]))
    await add_events(conn, db.outbox, events, correlation_id=str(round_["id"]))
    return rows


async def reassign_after_conflict(conn: AsyncConnection, *, round_: dict, work_id: uuid.UUID,
                                  evaluator_id: uuid.UUID, reason: str) -> uuid.UUID | None:
    """Record a declared conflict and hand the work to the least-loaded free evaluator; None if nobody is free."""
    await db.declare_conflict(conn, person_id=evaluator_id, work_id=work_id, reason=reason)
    plan = await db_rounds.round_assignments(conn, round_id=round_["id"])
    entry = _entry(await db.get_work(conn, work_id=work_id))
    declared = await db.declared_conflicts(conn, work_ids=[work_id])
    load = {person: sum(person in people for people in plan.values()) for people in plan.values() for person in people}
    free = [c for c in await _candidates(conn, round_["tier"], round_["district"])
            if c.person_id not in plan[work_id] and conflict(c, entry, declared, tier=round_["tier"]) is None]
    free.sort(key=lambda c: (load.get(c.person_id, 0), str(c.person_id)))
    replacement = free[0].person_id if free else None
    await db_rounds.replace_assignment(conn, round_id=round_["id"], work_id=work_id, old=evaluator_id,
                                       new=replacement)
    if replacement is not None:
        remaining = [p for p in plan[work_id] if p != evaluator_id] + [replacement]
        await add_events(conn, db.outbox, [WorkAssigned(round_id=round_["id"], work_id=work_id,
                                                        district=entry.district, evaluator_ids=remaining)])
    return replacement
