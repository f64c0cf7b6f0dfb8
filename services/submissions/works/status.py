"""Status use cases: the one place a work's status moves (the transition checked, the history recorded, the
change published), and the moves the evaluation's events ask for, in the caller's transaction.

A move the rules refuse (a withdrawn work assigned, an event for a work submissions does not hold) is logged and
skipped: the evaluation's own record stays authoritative for scoring, and redelivering the message would not
make the move valid."""

import uuid
from dataclasses import dataclass
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.db import outbox
from services.submissions.domain import (
    AWARDED,
    IN_DISTRICT_EVALUATION,
    NOT_AWARDED,
    NOT_SELECTED_BY_DISTRICT,
    RECEIVED,
    SELECTED_BY_DISTRICT,
    WITH_JURY,
    check_transition,
)
from services.submissions.works import db
from shared.contracts.submissions import PublicWorkStatusChanged, WorkStatusChanged
from shared.messaging.outbox import add_events
from shared.refusals import Refusal, not_found

log = structlog.get_logger("submissions.evaluation")
EVALUATION = "evaluation"
# Where an assignment finds a work, and where it moves it: into evaluation at its tier.
ASSIGNED = {RECEIVED: IN_DISTRICT_EVALUATION, SELECTED_BY_DISTRICT: WITH_JURY}


@dataclass(frozen=True)
class Cause:
    """The evaluation event that asks for a move: its id (the moves' causation) and type (for the log)."""

    event_id: uuid.UUID
    event_type: str
    at: datetime


async def apply_status(conn: AsyncConnection, work_id: uuid.UUID, status: str, at: datetime, *,
                       actor: str = EVALUATION, note: str = "", causation_id: str | None = None) -> dict:
    """Move the work to `status` at `at` if the rules allow it; returns the work as it now is.

    Refuses an unknown work (not found) and a move backwards or out of a final status (conflict,
    `invalid_status_transition`). Moving to the status the work already has changes nothing (a late duplicate)."""
    work = await db.get_work(conn, work_id=work_id, for_update=True)
    if work is None:
        raise not_found("اثر", "Work")
    previous = work["status"]
    if previous == status:
        return work
    check_transition(previous, status)
    await db.set_status(conn, work_id=work_id, status=status, previous=previous, at=at, actor=actor, note=note)
    common = {"work_id": work_id, "edition": work["edition"], "district": work["district"],
              "category": work["category"], "status": status, "previous_status": previous, "at": at}
    await add_events(conn, outbox, [
        WorkStatusChanged(**common, tracking_code=work["tracking_code"], submitter_mobile=work["submitter_mobile"]),
        PublicWorkStatusChanged(**common),
    ], correlation_id=str(work_id), causation_id=causation_id)
    return {**work, "status": status, "status_at": at}


async def round_opened(conn: AsyncConnection, *, edition: str, tier: int, category: str, district: int | None,
                       cause: Cause) -> None:
    """Tier 1 opened for a district and category: its received works are in district evaluation.
    Tier 2 opened for a category: the works its districts selected are with the jury."""
    if tier == 1:
        if district is None:
            return
        found = await db.work_ids(conn, edition=edition, category=category, district=district, status=RECEIVED)
        status = IN_DISTRICT_EVALUATION
    else:
        found = await db.work_ids(conn, edition=edition, category=category, status=SELECTED_BY_DISTRICT)
        status = WITH_JURY
    for work_id in found:
        await _move(conn, work_id, status, cause)


async def work_assigned(conn: AsyncConnection, *, work_id: uuid.UUID, cause: Cause) -> None:
    """A work assigned to evaluators is under evaluation: in its district, or with the jury once selected."""
    work = await db.get_work(conn, work_id=work_id)
    if work is None:
        log.warning("status.unknown_work", work_id=str(work_id), event_type=cause.event_type)
        return
    if work["status"] in ASSIGNED:
        await _move(conn, work_id, ASSIGNED[work["status"]], cause)


async def work_advanced(conn: AsyncConnection, *, work_id: uuid.UUID, tier: int, cause: Cause) -> None:
    """Advanced at tier 1: selected by the district. At tier 2 it is proposed for an award and stays with
    the jury until the council approves the results."""
    if tier == 1:
        await _move(conn, work_id, SELECTED_BY_DISTRICT, cause)


async def work_not_advanced(conn: AsyncConnection, *, work_id: uuid.UUID, tier: int, cause: Cause) -> None:
    """Did not advance: not selected by the district (tier 1) or not awarded (tier 2)."""
    await _move(conn, work_id, NOT_SELECTED_BY_DISTRICT if tier == 1 else NOT_AWARDED, cause)


async def results_published(conn: AsyncConnection, *, edition: str, category: str, awarded: set[uuid.UUID],
                            cause: Cause) -> None:
    """The council approved a category's results: its awards are awarded, the rest with the jury are not."""
    for work_id in awarded:
        await _move(conn, work_id, AWARDED, cause)
    for work_id in await db.work_ids(conn, edition=edition, category=category, status=WITH_JURY):
        if work_id not in awarded:
            await _move(conn, work_id, NOT_AWARDED, cause)


async def _move(conn: AsyncConnection, work_id: uuid.UUID, status: str, cause: Cause) -> bool:
    """Apply one move the evaluation asks for; False (logged) when the rules refuse it."""
    try:
        await apply_status(conn, work_id, status, cause.at, actor=EVALUATION, causation_id=str(cause.event_id))
    except Refusal as refusal:
        log.warning("status.not_moved", work_id=str(work_id), status=status, code=refusal.code,
                    event_type=cause.event_type)
        return False
    return True
