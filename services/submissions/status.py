"""Moving a work's status: the one place that checks the transition, records the history and publishes
the change, all in the caller's transaction."""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions import db, db_works
from services.submissions.domain import check_transition
from shared.contracts.submissions import PublicWorkStatusChanged, WorkStatusChanged
from shared.messaging.outbox import add_events
from shared.refusals import not_found


async def apply_status(conn: AsyncConnection, work_id: uuid.UUID, status: str, at: datetime, *,
                       actor: str = "evaluation", note: str = "", causation_id: str | None = None) -> dict:
    """Move the work to `status` at `at` if the rules allow it; returns the work as it now is.

    Raises Refusal 404 for an unknown work and 409 `invalid_status_transition` for a move backwards or
    out of a final status. Moving to the status the work already has changes nothing (a late duplicate)."""
    work = await db_works.get_work(conn, work_id=work_id, for_update=True)
    if work is None:
        raise not_found("اثر", "Work")
    previous = work["status"]
    if previous == status:
        return work
    check_transition(previous, status)
    await db_works.set_status(conn, work_id=work_id, status=status, previous=previous, at=at, actor=actor,
                              note=note)
    common = {"work_id": work_id, "edition": work["edition"], "district": work["district"],
              "category": work["category"], "status": status, "previous_status": previous, "at": at}
    await add_events(conn, db.outbox, [
        WorkStatusChanged(**common, tracking_code=work["tracking_code"], submitter_mobile=work["submitter_mobile"]),
        PublicWorkStatusChanged(**common),
    ], correlation_id=str(work_id), causation_id=causation_id)
    return {**work, "status": status, "status_at": at}
