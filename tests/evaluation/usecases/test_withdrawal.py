"""A withdrawn work leaves evaluation at once, wherever it stands: waiting, it never enters a round; in an open round
it is no longer assigned, its sheets no longer count, it is not ranked and takes no quota place; after its round
closed the result stands and the withdrawal is recorded; a withdrawal that overtakes the work itself still holds."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds
from services.evaluation.domain import DEFAULT_RUBRIC, WITHDRAWN, Withdrawal
from services.evaluation.usecases import closing, council, opening, sheets, works
from shared.contracts.decisions import SetQuotas
from shared.refusals import Refusal
from tests.support.evaluation_db import committee_member, received
from tests.support.scratch_db import signed_in_as

DISTRICT, CATEGORY, EDITION = 5, "welfare", "1405"
SECRETARY = signed_in_as("district_secretariat", "secretary", DISTRICT)
FESTIVAL_SECRETARY = signed_in_as("festival_secretary", "secretary")


async def withdraw(conn: AsyncConnection, work_id: uuid.UUID) -> Withdrawal:
    """Submissions says the work was withdrawn."""
    return await works.withdraw_work(conn, work_id=work_id, reason="انصراف ارسال‌کننده",
                                     withdrawn_at=datetime.now(UTC))


async def status(conn: AsyncConnection, work_id: uuid.UUID) -> str:
    """The work's status in evaluation."""
    return (await db.get_work(conn, work_id=work_id))["status"]


async def recorded(conn: AsyncConnection, work_id: uuid.UUID) -> dict:
    """The recorded withdrawal of the work."""
    return await db.withdrawal_of(conn, work_id=work_id)


async def score(conn: AsyncConnection, round_id: uuid.UUID, evaluators: list, work_id: uuid.UUID, value: int) -> None:
    """Each evaluator submits the same score on every criterion."""
    for evaluator in evaluators:
        await sheets.save_sheet(conn, evaluator, round_id=round_id, work_id=work_id, comment="",
                                scores={c["code"]: value for c in DEFAULT_RUBRIC}, submit=True)


async def open_district_round(conn: AsyncConnection, *, quota: int = 3) -> tuple[list, list[uuid.UUID], uuid.UUID]:
    """Three committee members, three works, a round over them."""
    await council.set_quotas(conn, action=SetQuotas(edition=EDITION, per_district=quota))
    members = [await committee_member(conn, DISTRICT) for _ in range(3)]
    work_ids = [await received(conn, DISTRICT, CATEGORY, EDITION, f"اثر {i}") for i in range(3)]
    round_ = await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT,
                                      category=CATEGORY, deadline=None, k=3)
    return members, work_ids, round_["id"]


async def test_a_work_withdrawn_while_waiting_never_enters_a_round(conn: AsyncConnection) -> None:
    await committee_member(conn, DISTRICT)
    staying = await received(conn, DISTRICT, CATEGORY, EDITION, "می‌ماند")
    leaving = await received(conn, DISTRICT, CATEGORY, EDITION, "پس گرفته شد")

    assert await withdraw(conn, leaving) == Withdrawal.BEFORE_ROUND

    round_ = await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT,
                                      category=CATEGORY, deadline=None, k=1)
    assert list(await db_rounds.round_assignments(conn, round_id=round_["id"])) == [staying]
    assert await status(conn, leaving) == WITHDRAWN
    assert (await recorded(conn, leaving))["effect"] == "before_round"


async def test_a_work_withdrawn_from_an_open_round_leaves_it_and_takes_no_quota_place(conn: AsyncConnection) -> None:
    members, (best, second, third), round_id = await open_district_round(conn, quota=1)
    await score(conn, round_id, members, second, 7)
    await score(conn, round_id, members, third, 4)
    await score(conn, round_id, members[:2], best, 10)  # the third member has not scored it yet
    with pytest.raises(Refusal) as missing:
        await closing.close_round(conn, SECRETARY, round_id=round_id)
    assert missing.value.code == "sheets_missing"
    assert (await closing.ranking_of(conn, SECRETARY, round_id=round_id))[0]["work_id"] == best

    assert await withdraw(conn, best) == Withdrawal.LEFT_ROUND

    for member in members:  # no longer assigned: not listed, and not theirs to score
        assert best not in {w["work_id"] for w in await sheets.my_works(conn, member, round_id=round_id)}
    with pytest.raises(Refusal) as refused:
        await score(conn, round_id, members[2:], best, 10)
    assert refused.value.code == "not_found"
    ranking = await closing.ranking_of(conn, SECRETARY, round_id=round_id)
    assert [r["work_id"] for r in ranking] == [second, third]  # its sheets no longer count
    assert await closing.close_round(conn, SECRETARY, round_id=round_id) == [second]  # the place goes on
    assert await status(conn, best) == WITHDRAWN
    evaluated = (await conn.execute(select(db.outbox.c.payload["work_id"].astext).where(
        db.outbox.c.event_type.in_(["evaluation.work.evaluated", "evaluation.work.advanced",
                                    "evaluation.work.not_advanced"])))).scalars().all()
    assert str(best) not in evaluated and str(second) in evaluated
    assert (await recorded(conn, best))["round_id"] == round_id


async def test_a_withdrawal_after_the_round_closed_keeps_the_result_until_a_reopening(conn: AsyncConnection) -> None:
    members, (best, second, third), round_id = await open_district_round(conn, quota=1)
    for work_id, value in ((best, 9), (second, 6), (third, 3)):
        await score(conn, round_id, members, work_id, value)
    assert await closing.close_round(conn, SECRETARY, round_id=round_id) == [best]

    assert await withdraw(conn, best) == Withdrawal.AFTER_CLOSE
    assert await withdraw(conn, best) == Withdrawal.ALREADY  # a second copy changes nothing

    stored = await closing.ranking_of(conn, SECRETARY, round_id=round_id)
    assert (stored[0]["work_id"], stored[0]["advanced"]) == (best, True)  # the closed result stands
    assert await status(conn, best) == WITHDRAWN  # and the work goes no further (not to the jury)
    assert (await recorded(conn, best))["effect"] == "after_round_closed"
    assert await db.works_with_status(conn, edition=EDITION, category=CATEGORY, status="selected_by_district") == []
    await closing.reopen_round(conn, FESTIVAL_SECRETARY, round_id=round_id, reason="انصراف برگزیده")
    assert [r["work_id"] for r in await closing.ranking_of(conn, SECRETARY, round_id=round_id)] == [second, third]
    assert await status(conn, best) == WITHDRAWN


async def test_a_withdrawal_that_overtakes_the_work_holds_when_the_work_arrives(conn: AsyncConnection) -> None:
    await committee_member(conn, DISTRICT)
    work_id = uuid.uuid4()

    assert await works.withdraw_work(conn, work_id=work_id, reason="انصراف", withdrawn_at=datetime.now(UTC)) == \
        Withdrawal.BEFORE_RECEIVED
    await received(conn, DISTRICT, CATEGORY, EDITION, "دیر رسید", work_id=work_id)

    assert await status(conn, work_id) == WITHDRAWN
    with pytest.raises(Refusal) as refused:
        await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT, category=CATEGORY,
                                 deadline=None, k=1)
    assert refused.value.code == "no_works"


async def test_a_withdrawn_work_no_longer_waits_for_evaluators_in_a_round_short_of_them(
        conn: AsyncConnection) -> None:
    await committee_member(conn, DISTRICT)
    work_ids = [await received(conn, DISTRICT, CATEGORY, EDITION, f"اثر {i}") for i in range(2)]
    opened = await opening.open_scope(conn, edition=EDITION, tier=1, district=DISTRICT, category=CATEGORY,
                                      deadline=None, k=2, opened_by="test", allow_short=True)
    assert set(opened.short) == set(work_ids)

    await withdraw(conn, work_ids[0])

    round_ = await db_rounds.get_round(conn, round_id=opened.round_id)
    assert set(round_["short"]) == {str(work_ids[1])}
    assert await db_rounds.rounds_holding(conn, work_id=work_ids[0]) == []



async def test_a_selection_withdrawn_after_its_round_closed_never_reaches_the_jury(conn: AsyncConnection) -> None:
    members, (best, second, third), round_id = await open_district_round(conn, quota=2)
    for work_id, value in ((best, 9), (second, 6), (third, 3)):
        await score(conn, round_id, members, work_id, value)
        await db.apply_change(conn, work_id=work_id, edited={}, documents=1, at=datetime.now(UTC))
    assert await closing.close_round(conn, SECRETARY, round_id=round_id) == [best, second]
    assert await withdraw(conn, best) == Withdrawal.AFTER_CLOSE

    taken = await council.confirm_receipt(conn, signed_in_as("central_secretariat", "staff"), edition=EDITION,
                                          category=CATEGORY)

    assert taken == 1  # only the selection still standing goes to the jury
    assert await status(conn, best) == WITHDRAWN and await status(conn, second) == "with_jury"
