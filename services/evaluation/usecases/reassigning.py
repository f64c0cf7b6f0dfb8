"""Rounds that finish: the round's manager reassigns a work from an evaluator who does not score it, and the works
of someone whose appointment ended are handed on at once. The old assignment ends but stays, with its draft sheet,
for the record; it no longer counts and its evaluator can no longer score the work."""

import uuid
from collections import defaultdict

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds
from services.evaluation.assignment import conflict, pick_successor
from services.evaluation.domain import APPOINTMENT_ENDED, OPEN, SUBMITTED, check_reassignable, check_successor
from services.evaluation.usecases.common import candidates, entry, load_round, require_manager
from shared.contracts.evaluation import WorkAssigned
from shared.messaging.outbox import add_events
from shared.principal import Principal
from shared.refusals import not_found

log = structlog.get_logger("evaluation.reassigning")


async def _sheet_state(conn: AsyncConnection, round_id: uuid.UUID, work_id: uuid.UUID,
                       evaluator: uuid.UUID) -> str | None:
    """The evaluator's sheet state for the work in the round (None when they saved none)."""
    found = await db_rounds.round_sheets(conn, round_id=round_id, evaluator=evaluator, work_id=work_id)
    return found[0]["state"] if found else None


async def _refused_for(conn: AsyncConnection, round_id: uuid.UUID, work_ids: list[uuid.UUID]) -> set[
        tuple[uuid.UUID, uuid.UUID]]:
    """(person, work) pairs that may not take these works: declared conflicts and who had them taken away."""
    return (await db.declared_conflicts(conn, work_ids=work_ids)
            | await db_rounds.ever_held(conn, round_id=round_id, work_ids=work_ids))


async def reassign(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID, work_id: uuid.UUID,
                   from_person: uuid.UUID, to_person: uuid.UUID, reason: str) -> dict:
    """The round's manager gives a work from one evaluator to another eligible one, with a reason; the new
    evaluator is told (WorkAssigned). Returns what was recorded."""
    round_ = await load_round(conn, round_id, lock=True)
    require_manager(principal, round_)
    work = await db.get_work(conn, work_id=work_id)
    plan = await db_rounds.round_assignments(conn, round_id=round_id)
    if work is None or work_id not in plan:
        raise not_found("اثر در این دور", "Work in this round")
    check_reassignable(round_["state"], assigned=from_person in plan[work_id],
                       sheet_state=await _sheet_state(conn, round_id, work_id, from_person))
    eligible = {c.person_id: c for c in await candidates(conn, round_["tier"], round_["district"])}
    refused = await _refused_for(conn, round_id, [work_id])
    target = eligible.get(to_person)
    check_successor(eligible=target is not None, holds=to_person in plan[work_id],
                    held_before=(to_person, work_id) in refused,
                    conflict=conflict(target, entry(work), refused, tier=round_["tier"]) if target else None)
    await db_rounds.end_assignment(conn, round_id=round_id, work_id=work_id, old=from_person, new=to_person,
                                   by=principal.subject, reason=reason)
    await add_events(conn, db.outbox, [WorkAssigned(round_id=round_id, work_id=work_id, district=work["district"],
                                                    evaluator_ids=[to_person])], correlation_id=str(round_id))
    log.info("work.reassigned", round_id=str(round_id), work_id=str(work_id))
    return {"round_id": round_id, "work_id": work_id, "from_person": from_person, "to_person": to_person,
            "reason": reason}


async def hand_on(conn: AsyncConnection, *, person_id: uuid.UUID, by: str) -> int:
    """Someone's appointment ended: each work they hold unscored in an open round where they no longer judge goes
    to another eligible evaluator (reason "appointment ended"), or is recorded as lacking one when nobody is left.
    Returns how many works left them."""
    held: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for round_id, work_id in await db_rounds.unscored_assignments(conn, evaluator=person_id):
        held[round_id].append(work_id)
    moved = 0
    for round_id in sorted(held, key=str):  # rounds locked in id order, as a withdrawal takes them
        round_ = await load_round(conn, round_id, lock=True)
        eligible = await candidates(conn, round_["tier"], round_["district"])
        if round_["state"] != OPEN or person_id in {c.person_id for c in eligible}:
            continue  # closed meanwhile, or they still judge in this round's bodies
        for work_id in held[round_id]:
            moved += await _hand_on_work(conn, round_, work_id, person_id, eligible, by)
    return moved


async def _hand_on_work(conn: AsyncConnection, round_: dict, work_id: uuid.UUID, person_id: uuid.UUID,
                        eligible: list, by: str) -> int:
    """Hand one work on (rechecked under the round's lock); 1 when it left them, else 0."""
    round_id = round_["id"]
    if not await db_rounds.is_assigned(conn, round_id=round_id, work_id=work_id, evaluator_id=person_id) or \
            await _sheet_state(conn, round_id, work_id, person_id) == SUBMITTED:
        return 0
    work = await db.get_work(conn, work_id=work_id)
    plan = await db_rounds.round_assignments(conn, round_id=round_id)
    successor = pick_successor(eligible, entry(work), await _refused_for(conn, round_id, [work_id]), plan,
                               tier=round_["tier"])
    await db_rounds.end_assignment(conn, round_id=round_id, work_id=work_id, old=person_id, new=successor, by=by,
                                   reason=APPOINTMENT_ENDED)
    if successor is None:
        await db_rounds.add_short(conn, round_id=round_id, work_id=work_id)
        log.warning("work.lacks_evaluators", round_id=str(round_id), work_id=str(work_id), code="too_few_evaluators")
    else:
        await add_events(conn, db.outbox, [WorkAssigned(round_id=round_id, work_id=work_id, district=work["district"],
                                                        evaluator_ids=[successor])], correlation_id=str(round_id))
    return 1
