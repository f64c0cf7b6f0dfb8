"""Opening rounds: by a manager, by the call's close (every district's tier-1 rounds), by a council decision;
and staffing a round's works that lacked evaluators when a committee member is appointed."""

import uuid
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_council, db_rounds
from services.evaluation.assignment import assign
from services.evaluation.domain import (
    DEFAULT_K,
    DEFAULT_QUOTA,
    DEFAULT_RUBRIC,
    OPEN,
    check_round_scope,
    in_round_status,
    no_works,
    round_exists,
    round_quota,
    tier1_deadline,
    tier1_scopes_to_open,
    too_few_evaluators,
    waiting_status,
)
from services.evaluation.permissions import PERMISSIONS, managing
from services.evaluation.usecases.common import candidates, entry, load_round
from shared.contracts.decisions import OpenTier
from shared.contracts.evaluation import RoundOpened, WorkAssigned
from shared.messaging.outbox import add_events
from shared.principal import Principal
from shared.refusals import Refusal

log = structlog.get_logger("evaluation.opening")


@dataclass(frozen=True)
class Opened:
    """A round just opened, and the works it could not give k evaluators (work -> how many they lack)."""

    round_id: uuid.UUID
    short: dict[uuid.UUID, int]


async def open_round(conn: AsyncConnection, principal: Principal, *, edition: str, tier: int, district: int | None,
                     category: str, deadline: datetime | None, k: int) -> dict:
    """A manager opens a round: tier 1 the district's secretary, tier 2 the central secretariat (after receipt).
    Returns the round as stored."""
    check_round_scope(tier, district)
    PERMISSIONS.require(principal, managing(tier), district=district)
    opened = await open_scope(conn, edition=edition, tier=tier, district=district, category=category,
                              deadline=deadline, k=k, opened_by=principal.subject)
    return await load_round(conn, opened.round_id)


async def open_scope(conn: AsyncConnection, *, edition: str, tier: int, district: int | None, category: str,
                     deadline: datetime | None, k: int, opened_by: str, allow_short: bool = False) -> Opened:
    """Open a round over the works waiting for it and assign k conflict-free evaluators to each.

    Refuses when nothing waits, when the round exists, or (unless allow_short) when evaluators are too few;
    with allow_short the round opens anyway and records the works it could not staff. The waiting works are
    locked, so a withdrawal racing with the opening either lands first (the work stays out) or finds the work
    in the round (and takes it out)."""
    works = await db.works_with_status(conn, edition=edition, category=category, status=waiting_status(tier),
                                       district=district, lock=True)
    if not works:
        raise no_works()
    entries = [entry(w) for w in works]
    declared = await db.declared_conflicts(conn, work_ids=[e.work_id for e in entries])
    plan = assign(entries, await candidates(conn, tier, district), declared, k=k, tier=tier)
    short = {str(w): missing for w, missing in plan.short.items()}
    if plan.short and not allow_short:
        raise too_few_evaluators(short, k)
    round_id = uuid.uuid4()
    quota = round_quota(tier, await db_council.quota_for(conn, edition=edition, district=district,
                                                         default=DEFAULT_QUOTA))
    rubric = await db_council.rubric_for(conn, edition=edition, category=category, default=DEFAULT_RUBRIC)
    await _insert(conn, plan.assignments, {
        "id": round_id, "edition": edition, "tier": tier, "district": district, "category": category, "state": OPEN,
        "deadline": deadline, "k": k, "quota": quota, "rubric": rubric, "opened_by": opened_by, "short": short})
    await db.set_status(conn, work_ids=[e.work_id for e in entries], status=in_round_status(tier))
    evaluators = sorted({p for people in plan.assignments.values() for p in people}, key=str)
    await add_events(conn, db.outbox, [
        RoundOpened(round_id=round_id, edition=edition, tier=tier, category=category, district=district,
                    deadline=deadline, evaluator_ids=evaluators),
        *[WorkAssigned(round_id=round_id, work_id=e.work_id, district=e.district,
                       evaluator_ids=plan.assignments[e.work_id]) for e in entries],
    ], correlation_id=str(round_id))
    return Opened(round_id=round_id, short=dict(plan.short))


async def _insert(conn: AsyncConnection, plan: dict[uuid.UUID, list[uuid.UUID]], values: dict) -> None:
    """Store the round; the unique index turns a concurrent second round of the same scope into a refusal."""
    try:
        async with conn.begin_nested():
            await db_rounds.insert_round(conn, plan=plan, values=values)
    except IntegrityError as error:
        raise round_exists() from error


async def open_tier1_when_call_closed(conn: AsyncConnection, *, edition: str, closed_at: datetime, k: int,
                                      days: int, opened_by: str) -> list[Opened]:
    """Open every missing tier-1 round of the edition (one per district and category with waiting works).

    A scope that cannot be opened is logged and skipped: the other districts' rounds still open."""
    scopes = tier1_scopes_to_open(await db.awaiting_scopes(conn, edition=edition, status=waiting_status(1)),
                                  await db_rounds.round_scopes(conn, edition=edition, tier=1))
    deadline = tier1_deadline(closed_at, days)
    opened = []
    for district, category in scopes:
        try:
            async with conn.begin_nested():  # a refusal undoes only this scope's partial changes
                opened.append(await open_scope(conn, edition=edition, tier=1, district=district, category=category,
                                               deadline=deadline, k=k, opened_by=opened_by, allow_short=True))
        except Refusal as refusal:
            log.warning("round.not_opened_at_call_close", edition=edition, district=district, category=category,
                        code=refusal.code, reason=refusal.en)
            continue
        if opened[-1].short:
            log.warning("round.opened_short_of_evaluators", round_id=str(opened[-1].round_id), district=district,
                        category=category, code="too_few_evaluators", works=len(opened[-1].short))
    log.info("rounds.opened_at_call_close", edition=edition, rounds=len(opened))
    return opened


async def open_round_by_decision(conn: AsyncConnection, *, action: OpenTier, decision_id: uuid.UUID) -> Opened | None:
    """The council decided to open a district's tier-1 round; a refusal (nothing waits, the round exists, too
    few evaluators) is logged, not retried: redelivering the decision would not change the answer."""
    if action.tier != 1 or not action.district:
        return None  # only a district's tier-1 round opens by decision; tier 2 follows the receipt
    try:
        async with conn.begin_nested():  # a refusal must not undo the inbox record of this message
            return await open_scope(conn, edition=action.edition, tier=1, district=action.district,
                                    category=action.category, deadline=None, k=DEFAULT_K,
                                    opened_by=f"decision:{decision_id}")
    except Refusal as refusal:
        log.warning("round.not_opened_by_decision", code=refusal.code, reason=refusal.en)
        return None


async def staff_short_rounds(conn: AsyncConnection, *, district: int) -> int:
    """Give the works of the district's open tier-1 rounds that lack evaluators those free for them now (a
    committee member was just appointed); returns how many works got evaluators."""
    staffed = 0
    for round_ in await db_rounds.short_rounds(conn, tier=1, district=district):
        work_ids = [uuid.UUID(w) for w in round_["short"]]
        plan = await db_rounds.round_assignments(conn, round_id=round_["id"])
        entries = [entry(w) for w in await db.works_by_ids(conn, work_ids=work_ids)]
        # Whoever had a work taken from them (reassigned, appointment ended) is not given it back.
        declared = (await db.declared_conflicts(conn, work_ids=work_ids)
                    | await db_rounds.ever_held(conn, round_id=round_["id"], work_ids=work_ids))
        topped = assign(entries, await candidates(conn, 1, district), declared, k=round_["k"], tier=1,
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
