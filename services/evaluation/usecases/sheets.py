"""An evaluator's part of a round: the works assigned to them, their score sheets, and the conflicts of interest
they declare (the work then goes to another free evaluator)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds
from services.evaluation.assignment import pick_successor
from services.evaluation.domain import DRAFT, SUBMITTED, check_sheet_editable, checked_scores, for_judging
from services.evaluation.permissions import PERMISSIONS, Capability
from services.evaluation.usecases.common import candidates, entry, load_round, require_assigned
from shared.contracts.evaluation import SheetSubmitted, WorkAssigned
from shared.messaging.outbox import add_events
from shared.principal import Principal


def _evaluator(principal: Principal) -> uuid.UUID:
    """The principal as an evaluator (the assignments then decide which works are theirs)."""
    PERMISSIONS.require(principal, Capability.EVALUATE)
    return uuid.UUID(principal.subject)


async def my_works(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID) -> list[dict]:
    """The works assigned to the principal in a round, as judging needs them (nothing of the submitter), each with
    the principal's own sheet (or None)."""
    me = _evaluator(principal)
    plan = await db_rounds.round_assignments(conn, round_id=round_id)
    sheets = {s["work_id"]: s for s in await db_rounds.round_sheets(conn, round_id=round_id, evaluator=me)}
    works = await db.works_by_ids(conn, work_ids=[w for w, people in plan.items() if me in people])
    return [{**for_judging(w), "sheet": sheets.get(w["work_id"])} for w in works]


async def save_sheet(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID, work_id: uuid.UUID,
                     scores: dict[str, float], comment: str, submit: bool) -> str:
    """Save the principal's sheet for an assigned work as a draft, or submit it (final); frozen once the round
    closes. Returns the sheet's state."""
    me = _evaluator(principal)
    round_ = await load_round(conn, round_id)
    await require_assigned(conn, round_id, work_id, me)
    existing = await db_rounds.round_sheets(conn, round_id=round_id, evaluator=me, work_id=work_id)
    check_sheet_editable(round_["state"], existing[0]["state"] if existing else None)
    state = SUBMITTED if submit else DRAFT
    await db_rounds.save_sheet(conn, values={
        "round_id": round_id, "work_id": work_id, "evaluator_id": me, "state": state, "comment": comment,
        "scores": checked_scores(scores, round_["rubric"], complete=submit)})
    if submit:
        work = await db.get_work(conn, work_id=work_id)
        await add_events(conn, db.outbox, [SheetSubmitted(round_id=round_id, work_id=work_id, evaluator_id=me,
                                                          district=work["district"])])
    return state


async def declare_conflict(conn: AsyncConnection, principal: Principal, *, round_id: uuid.UUID,
                           work_id: uuid.UUID, reason: str) -> uuid.UUID | None:
    """The principal declares a conflict with an assigned work: it is recorded, the work leaves them (with their
    sheet) and goes to the least-loaded free evaluator; returns who, or None when nobody is free."""
    me = _evaluator(principal)
    round_ = await load_round(conn, round_id, lock=True)
    await require_assigned(conn, round_id, work_id, me)
    await db.declare_conflict(conn, person_id=me, work_id=work_id, reason=reason)
    plan = await db_rounds.round_assignments(conn, round_id=round_id)
    work = entry(await db.get_work(conn, work_id=work_id))
    declared = (await db.declared_conflicts(conn, work_ids=[work_id])
                | await db_rounds.ever_held(conn, round_id=round_id, work_ids=[work_id]))
    replacement = pick_successor(await candidates(conn, round_["tier"], round_["district"]), work, declared, plan,
                                 tier=round_["tier"])
    await db_rounds.replace_assignment(conn, round_id=round_id, work_id=work_id, old=me, new=replacement)
    if replacement is not None:
        remaining = [p for p in plan[work_id] if p != me] + [replacement]
        await add_events(conn, db.outbox, [WorkAssigned(round_id=round_id, work_id=work_id, district=work.district,
                                                        evaluator_ids=remaining)])
    return replacement
