"""Round operations inside the caller's transaction: open with assignments, close with ranking, reopen, conflicts."""

import uuid
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
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
    tier1_deadline,
    tier1_scopes_to_open,
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
from shared.messaging.outbox import add_events
from shared.refusals import Kind, Refusal

log = structlog.get_logger("evaluation.rounds")


async def _candidates(conn: AsyncConnection, tier: int, district: int | None) -> list[Candidate]:
    kinds = TIER_1_KINDS if tier == 1 else TIER_2_KINDS
    rows = await db.evaluators(conn, kinds=kinds, roles=EVALUATING_ROLES, district=district if tier == 1 else None)
    return [Candidate(person_id=r["person_id"], mobile=r["mobile"], districts=r["districts"]) for r in rows]


def _entry(work: dict) -> Entry:
    return Entry(work_id=work["work_id"], district=work["district"], submitter_mobile=work["submitter_mobile"],
                 organisation=work["organisation"])


@dataclass(frozen=True)
class Opened:
    """A round just opened, and the works it could not give k evaluators (work -> how many they lack)."""

    round_id: uuid.UUID
    short: dict[uuid.UUID, int]


async def open_round(conn: AsyncConnection, *, edition: str, tier: int, district: int | None, category: str,
                     deadline: datetime | None, k: int, opened_by: str, allow_short: bool = False) -> Opened:
    """Open a round over the works waiting for it and assign k conflict-free evaluators to each.

    Refuses when nothing waits, when the round exists, or (unless allow_short) when evaluators are too few;
    with allow_short the round opens anyway and records the works it could not staff."""
    status = AWAITING_TIER_1 if tier == 1 else WITH_JURY
    works = await db.works_with_status(conn, edition=edition, category=category, status=status, district=district)
    if not works:
        raise Refusal(Kind.CONFLICT, "no_works", "اثری برای این مرحله در انتظار داوری نیست.",
                       "No works are waiting for this round.")
    entries = [_entry(w) for w in works]
    candidates = await _candidates(conn, tier, district)
    declared = await db.declared_conflicts(conn, work_ids=[e.work_id for e in entries])
    plan = assign(entries, candidates, declared, k=k, tier=tier)
    short = {str(w): missing for w, missing in plan.short.items()}
    if plan.short and not allow_short:
        raise Refusal(Kind.CONFLICT, "too_few_evaluators", "داوران بدون تعارض منافع برای این آثار کافی نیستند.",
                       f"Too few conflict-free evaluators: {len(plan.short)} works cannot get {k}.", short)
    round_id = uuid.uuid4()
    quota = (len(PLACES) + HONOURABLE_MENTIONS if tier == 2 else
             await db_rounds.quota_for(conn, edition=edition, district=district, default=DEFAULT_QUOTA))
    rubric = await db_rounds.rubric_for(conn, edition=edition, category=category, default=DEFAULT_RUBRIC)
    await _insert(conn, plan.assignments, {
        "id": round_id, "edition": edition, "tier": tier, "district": district, "category": category, "state": OPEN,
        "deadline": deadline, "k": k, "quota": quota, "rubric": rubric, "opened_by": opened_by, "short": short})
    await db.set_status(conn, work_ids=[e.work_id for e in entries], status=IN_TIER_1 if tier == 1 else IN_TIER_2)
    evaluators = sorted({p for people in plan.assignments.values() for p in people}, key=str)
    await add_events(conn, db.outbox, [
        RoundOpened(round_id=round_id, edition=edition, tier=tier, category=category, district=district,
                    deadline=deadline, evaluator_ids=evaluators),
        *[WorkAssigned(round_id=round_id, work_id=e.work_id, district=e.district, evaluator_ids=plan.assignments[
            e.work_id]) for e in entries],
    ], correlation_id=str(round_id))
    return Opened(round_id=round_id, short=dict(plan.short))


async def _insert(conn: AsyncConnection, plan: dict[uuid.UUID, list[uuid.UUID]], values: dict) -> None:
    """Store the round; the unique index turns a concurrent second round of the same scope into a refusal."""
    try:
        async with conn.begin_nested():
            await db_rounds.insert_round(conn, plan=plan, values=values)
    except IntegrityError as error:
        raise Refusal(Kind.CONFLICT, "round_exists", "دور داوری این مرحله و موضوع پیش‌تر باز شده است.",
                       "A round of this tier and category (and district) already exists.") from error


async def open_tier1_when_call_closed(conn: AsyncConnection, *, edition: str, closed_at: datetime, k: int,
                                      days: int, opened_by: str) -> list[Opened]:
    """Open every missing tier-1 round of the edition (one per district and category with waiting works).

    A scope that cannot be opened is logged and skipped: the other districts' rounds still open."""
    scopes = tier1_scopes_to_open(await db.awaiting_scopes(conn, edition=edition, status=AWAITING_TIER_1),
                                  await db_rounds.round_scopes(conn, edition=edition, tier=1))
    deadline = tier1_deadline(closed_at, days)
    opened = []
    for district, category in scopes:
        try:
            async with conn.begin_nested():  # a refusal undoes only this scope's partial changes
                opened.append(await open_round(conn, edition=edition, tier=1, district=district, category=category,
                                               deadline=deadline, k=k, opened_by=opened_by, allow_short=True))
        except Refusal as refusal:
            log.warning("round.not_opened_at_call_close", edition=edition, district=district, category=category,
                        code=refusal.code, reason=refusal.en)
            continue
        if opened[-1].short:
            log.warning("round.opened_short_of_evaluators", round_id=str(opened[-1].round_id), district=district,
                        category=category, code="too_few_evaluators", works=len(opened[-1].short))
    return opened


async def staff_short_rounds(conn: AsyncConnection, *, district: int) -> int:
    """Give the works of the district's open tier-1 rounds that lack evaluators those free for them now (a
    committee member was just appointed); returns how many works got evaluators."""
    staffed = 0
    for round_ in await db_rounds.short_rounds(conn, tier=1, district=district):
        work_ids = [uuid.UUID(w) for w in round_["short"]]
        plan = await db_rounds.round_assignments(conn, round_id=round_["id"])
        entries = [_entry(w) for w in await db.works_by_ids(conn, work_ids=work_ids)]
        declared = await db.declared_conflicts(conn, work_ids=work_ids)
        topped = assign(entries, await _candidates(conn, 1, district), declared, k=round_["k"], tier=1,
                        existing=plan)
        added = {w: [p for p in people if p not in plan.get(w, [])] for w, people in topped.assignments.items()}
        added = {w: people for w, people in added.items() if people}
        await db_rounds.add_assignments(conn, round_id=round_["id"], plan=added)
        await db_rounds.set_state(conn, round_id=round_["id"], values={
            "short": {str(w): missing for w, missing in topped.short.items()}})
        await add_events(conn, db.outbox, [
            WorkAssigned(round_id=round_["id"], work_id=e.work_id, district=e.district,
                         evaluator_ids=topped.assignments[e.work_id]) for e in entries if e.work_id in added],
            correlation_id=str(round_["id"]))
        staffed += len(added)
    return staffed


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
    unstaffed = {uuid.UUID(w) for w in round_["short"]} - set(plan)  # works left with no evaluator at all
    short = sorted({w for w, people in plan.items() if len(people) < round_["k"]} | unstaffed, key=str)
    if missing or short:
        raise Refusal(Kind.CONFLICT, "sheets_missing", "همهٔ برگه‌های امتیاز هنوز ثبت نهایی نشده‌اند.",
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
