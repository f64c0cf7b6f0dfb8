"""The evaluation moves works' statuses: its round, assignment, outcome and results events become
status changes (with history and events) through apply_status, applied once per message by the inbox.

A move the rules refuse (a withdrawn work assigned, an event for a work submissions does not hold) is
logged and skipped: the evaluation's own record stays authoritative for scoring, and redelivering the
message would not make the move valid."""

import uuid
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions import db_works
from services.submissions.status import apply_status
from shared.contracts import evaluation
from shared.refusals import Refusal

log = structlog.get_logger("submissions.evaluation")
ACTOR = "evaluation"


async def _move(conn: AsyncConnection, work_id: uuid.UUID, status: str, at: datetime, event) -> bool:
    """Apply one move; False (logged) when the rules refuse it."""
    try:
        await apply_status(conn, work_id, status, at, actor=ACTOR, causation_id=str(event.event_id))
    except Refusal as refusal:
        log.warning("status.not_moved", work_id=str(work_id), status=status, code=refusal.code,
                    event_type=event.event_type())
        return False
    return True


async def on_round_opened(conn: AsyncConnection, event: evaluation.RoundOpened) -> None:
    """Tier 1 opened for a district and category: its received works are in district evaluation.
    Tier 2 opened for a category: the works its districts selected are with the jury."""
    if event.tier == 1:
        if event.district is None:
            return
        found = await db_works.work_ids(conn, edition=event.edition, category=event.category,
                                        district=event.district, status="received")
        status = "in_district_evaluation"
    else:
        found = await db_works.work_ids(conn, edition=event.edition, category=event.category,
                                        status="selected_by_district")
        status = "with_jury"
    for work_id in found:
        await _move(conn, work_id, status, event.occurred_at, event)


async def on_work_assigned(conn: AsyncConnection, event: evaluation.WorkAssigned) -> None:
    """A work assigned to evaluators is under evaluation: in its district, or with the jury once selected."""
    work = await db_works.get_work(conn, work_id=event.work_id)
    if work is None:
        log.warning("status.unknown_work", work_id=str(event.work_id), event_type=event.event_type())
        return
    moves = {"received": "in_district_evaluation", "selected_by_district": "with_jury"}
    if work["status"] in moves:
        await _move(conn, event.work_id, moves[work["status"]], event.occurred_at, event)


async def on_work_advanced(conn: AsyncConnection, event: evaluation.WorkAdvanced) -> None:
    """Advanced at tier 1: selected by the district. At tier 2 it is proposed for an award and stays with
    the jury until the council approves the results."""
    if event.tier == 1:
        await _move(conn, event.work_id, "selected_by_district", event.occurred_at, event)


async def on_work_not_advanced(conn: AsyncConnection, event: evaluation.WorkNotAdvanced) -> None:
    """Did not advance: not selected by the district (tier 1) or not awarded (tier 2)."""
    status = "not_selected_by_district" if event.tier == 1 else "not_awarded"
    await _move(conn, event.work_id, status, event.occurred_at, event)


async def on_results_published(conn: AsyncConnection, event: evaluation.ResultsPublished) -> None:
    """The council approved a category's results: its awards are awarded, the rest with the jury are not."""
    awarded = {award.work_id for award in event.awards}
    for work_id in awarded:
        await _move(conn, work_id, "awarded", event.occurred_at, event)
    for work_id in await db_works.work_ids(conn, edition=event.edition, category=event.category, status="with_jury"):
        if work_id not in awarded:
            await _move(conn, work_id, "not_awarded", event.occurred_at, event)


EVALUATION_HANDLERS = {
    evaluation.RoundOpened: on_round_opened, evaluation.WorkAssigned: on_work_assigned,
    evaluation.WorkAdvanced: on_work_advanced, evaluation.WorkNotAdvanced: on_work_not_advanced,
}
PUBLIC_EVALUATION_HANDLERS = {evaluation.ResultsPublished: on_results_published}
