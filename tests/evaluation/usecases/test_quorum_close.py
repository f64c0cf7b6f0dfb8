"""Closing with a quorum (issue #12): at or after its deadline the round's manager may close a round in which an
evaluator never scored, once each work has the quorum of submitted sheets; the absent evaluators are named in the
explanation. Before the deadline, or with a work under the quorum, the close is refused and changes nothing."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db_rounds
from services.evaluation.domain import DEFAULT_RUBRIC, OPEN
from services.evaluation.usecases import closing, opening, sheets
from shared.refusals import Refusal
from tests.support.evaluation_db import committee_member, received
from tests.support.scratch_db import signed_in_as

DISTRICT, CATEGORY, EDITION = 11, "welfare", "1380"
SECRETARY = signed_in_as("district_secretariat", "secretary", DISTRICT)
FULL = {c["code"]: 6 for c in DEFAULT_RUBRIC}


def refused(code: str):
    """Expect a refusal with this stable code."""
    return pytest.raises(Refusal, check=lambda r: r.code == code)


async def round_with_an_absent_evaluator(conn: AsyncConnection, deadline: datetime | None,
                                         scorers: int = 2) -> tuple[uuid.UUID, list[uuid.UUID], str]:
    """Three evaluators on two works (k = 3); `scorers` of them submit every sheet, the last never scores."""
    members = [await committee_member(conn, DISTRICT) for _ in range(3)]
    works = [await received(conn, DISTRICT, CATEGORY, EDITION, f"اثر {i}") for i in range(2)]
    round_ = await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT,
                                      category=CATEGORY, deadline=deadline, k=3)
    for member in members[:scorers]:
        for work in works:
            await sheets.save_sheet(conn, member, round_id=round_["id"], work_id=work, scores=FULL, comment="",
                                    submit=True)
    return round_["id"], works, members[-1].subject


async def test_a_round_past_its_deadline_closes_with_a_quorum_naming_the_absent(conn: AsyncConnection) -> None:
    round_id, works, absent = await round_with_an_absent_evaluator(conn, datetime.now(UTC) - timedelta(hours=1))
    with refused("sheets_missing"):  # without the quorum, every sheet is still needed
        await closing.close_round(conn, SECRETARY, round_id=round_id)

    advanced = await closing.close_round(conn, SECRETARY, round_id=round_id, quorum=2)

    assert sorted(advanced, key=str) == sorted(works, key=str)
    ranking = await closing.ranking_of(conn, SECRETARY, round_id=round_id)
    assert all(r["closed_with_quorum"] == 2 and r["absent_evaluators"] == [absent] for r in ranking)
    assert all(r["sheets"] == 2 for r in ranking)


async def test_before_the_deadline_or_without_one_the_quorum_close_is_refused(conn: AsyncConnection) -> None:
    round_id, _, _ = await round_with_an_absent_evaluator(conn, datetime.now(UTC) + timedelta(days=1))
    with refused("before_deadline"):
        await closing.close_round(conn, SECRETARY, round_id=round_id, quorum=2)
    assert (await db_rounds.get_round(conn, round_id=round_id))["state"] == OPEN
    await db_rounds.set_state(conn, round_id=round_id, values={"deadline": None})
    with refused("before_deadline"):
        await closing.close_round(conn, SECRETARY, round_id=round_id, quorum=2)


async def test_a_work_under_the_quorum_keeps_the_round_open(conn: AsyncConnection) -> None:
    round_id, works, _ = await round_with_an_absent_evaluator(conn, datetime.now(UTC) - timedelta(days=1), scorers=1)
    with pytest.raises(Refusal) as raised:
        await closing.close_round(conn, SECRETARY, round_id=round_id, quorum=2)
    assert raised.value.code == "under_quorum"
    assert sorted(raised.value.details["works_under_quorum"]) == sorted(str(w) for w in works)
    assert (await db_rounds.get_round(conn, round_id=round_id))["state"] == OPEN
    assert await closing.close_round(conn, SECRETARY, round_id=round_id, quorum=1)  # a quorum of one would do
