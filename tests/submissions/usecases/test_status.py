"""Status use cases on a real database: a move forward is recorded and published, a move the rules refuse is
refused, and the evaluation's events move works (a withdrawn work is never moved back into evaluation)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from services.submissions.handlers import on_round_opened, on_work_assigned
from services.submissions.works import db, usecases
from services.submissions.works.status import apply_status
from shared.contracts.evaluation import RoundOpened, WorkAssigned
from shared.refusals import Kind, Refusal
from tests.support.submissions_db import STAFF_07, festival, rows, work_in


async def test_a_status_moves_forward_with_its_history_and_events(conn: AsyncConnection) -> None:
    await festival(conn)
    work_id = (await usecases.submit_work(conn, STAFF_07, work_in(), now=datetime.now(UTC)))["id"]
    at = datetime.now(UTC) + timedelta(seconds=1)

    moved = await apply_status(conn, work_id, "in_district_evaluation", at, actor="evaluation")
    again = await apply_status(conn, work_id, "in_district_evaluation", at)  # a late duplicate changes nothing

    assert moved["status"] == "in_district_evaluation" and again["status_at"] == at
    history = await db.history(conn, work_id=work_id)
    assert [h["status"] for h in history] == ["received", "in_district_evaluation"] and history[1]["at"] == at
    published = await rows(conn, "SELECT string_agg(exchange, ',' ORDER BY id) FROM outbox WHERE event_type = "
                                 "'submissions.work.status_changed' AND payload->>'work_id' = :w", w=str(work_id))
    assert published == "hami.internal,hami.public"
    for wrong in ("received", "awarded", "not_awarded"):
        with pytest.raises(Refusal) as refused:
            await apply_status(conn, work_id, wrong, at)
        assert refused.value.code == "invalid_status_transition"
    with pytest.raises(Refusal) as missing:
        await apply_status(conn, uuid.uuid4(), "with_jury", at)
    assert missing.value.kind == Kind.NOT_FOUND


async def test_a_district_round_takes_its_received_works_but_not_withdrawn_ones(conn: AsyncConnection) -> None:
    await festival(conn)
    waiting = await usecases.submit_work(conn, STAFF_07, work_in(), now=datetime.now(UTC))
    withdrawn = await usecases.submit_work(conn, STAFF_07, work_in(), now=datetime.now(UTC))
    await usecases.withdraw_work(conn, STAFF_07, withdrawn["id"], "انصراف", now=datetime.now(UTC))
    round_id = uuid.uuid4()

    await on_round_opened(conn, RoundOpened(round_id=round_id, edition="1405", tier=1, category="welfare", district=7))
    await on_work_assigned(conn, WorkAssigned(round_id=round_id, work_id=withdrawn["id"], district=7,
                                              evaluator_ids=[]))

    assert (await db.get_work(conn, work_id=waiting["id"]))["status"] == "in_district_evaluation"
    assert (await db.get_work(conn, work_id=withdrawn["id"]))["status"] == "withdrawn"
