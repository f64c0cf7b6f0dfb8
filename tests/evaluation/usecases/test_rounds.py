"""The refusals that moved from the routes into the use cases: scope, manager, frozen and final sheets, closing
once, reopening only what is closed (and only by the festival secretary)."""

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation.domain import DEFAULT_RUBRIC
from services.evaluation.usecases import closing, opening, sheets
from shared.principal import Principal
from shared.refusals import Refusal
from tests.support.evaluation_db import committee_member, received
from tests.support.scratch_db import signed_in_as

DISTRICT, CATEGORY, EDITION = 6, "participation", "1405"
SECRETARY = signed_in_as("district_secretariat", "secretary", DISTRICT)


def refused(code: str):
    """Expect a refusal with this code."""
    return pytest.raises(Refusal, check=lambda r: r.code == code)


async def one_work_round(conn: AsyncConnection) -> tuple[Principal, uuid.UUID, uuid.UUID]:
    """A committee member, a work and the round that gives it to them."""
    member = await committee_member(conn, DISTRICT)
    work_id = await received(conn, DISTRICT, CATEGORY, EDITION, "باغچه")
    round_ = await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT,
                                      category=CATEGORY, deadline=None, k=1)
    return member, work_id, round_["id"]


async def submit(conn: AsyncConnection, member: Principal, round_id: uuid.UUID, work_id: uuid.UUID) -> str:
    """The member submits a full sheet."""
    return await sheets.save_sheet(conn, member, round_id=round_id, work_id=work_id, comment="",
                                   scores={c["code"]: 5 for c in DEFAULT_RUBRIC}, submit=True)


async def test_a_round_belongs_to_its_tier_and_to_its_manager(conn: AsyncConnection) -> None:
    with refused("district_mismatch"):
        await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=None, category=CATEGORY,
                                 deadline=None, k=1)
    with refused("forbidden"):
        await opening.open_round(conn, signed_in_as("district_secretariat", "secretary", 8), edition=EDITION, tier=1,
                                 district=DISTRICT, category=CATEGORY, deadline=None, k=1)
    with refused("forbidden"):
        await opening.open_round(conn, SECRETARY, edition=EDITION, tier=2, district=None, category=CATEGORY,
                                 deadline=None, k=1)


async def test_a_submitted_sheet_is_final_and_a_closed_round_freezes_its_sheets(conn: AsyncConnection) -> None:
    member, work_id, round_id = await one_work_round(conn)
    assert await sheets.save_sheet(conn, member, round_id=round_id, work_id=work_id, comment="",
                                   scores={"innovation": 4}, submit=False) == "draft"
    assert await submit(conn, member, round_id, work_id) == "submitted"
    with refused("sheet_submitted"):
        await submit(conn, member, round_id, work_id)

    assert await closing.close_round(conn, SECRETARY, round_id=round_id) == [work_id]

    with refused("round_closed"):
        await submit(conn, member, round_id, work_id)
    with refused("round_closed"):
        await closing.close_round(conn, SECRETARY, round_id=round_id)


async def test_only_the_festival_secretary_reopens_and_only_a_closed_round(conn: AsyncConnection) -> None:
    member, work_id, round_id = await one_work_round(conn)
    festival_secretary = signed_in_as("festival_secretary", "secretary")
    with refused("round_open"):
        await closing.reopen_round(conn, festival_secretary, round_id=round_id, reason="بازبینی")
    await submit(conn, member, round_id, work_id)
    await closing.close_round(conn, SECRETARY, round_id=round_id)

    with refused("forbidden"):
        await closing.reopen_round(conn, SECRETARY, round_id=round_id, reason="بازبینی")
    assert await closing.reopen_round(conn, festival_secretary, round_id=round_id, reason="بازبینی") == 1
    assert [w["work_id"] for w in await sheets.my_works(conn, member, round_id=round_id)] == [work_id]


async def test_an_evaluator_acts_only_on_the_works_assigned_to_them(conn: AsyncConnection) -> None:
    _, work_id, round_id = await one_work_round(conn)
    stranger = await committee_member(conn, DISTRICT)
    with refused("not_found"):
        await submit(conn, stranger, round_id, work_id)
    with refused("not_found"):
        await sheets.declare_conflict(conn, stranger, round_id=round_id, work_id=work_id, reason="خویشاوند")
    assert await sheets.my_works(conn, stranger, round_id=round_id) == []


async def test_a_closed_rounds_stored_ranking_reads_as_its_preview_did_field_for_field(conn: AsyncConnection) -> None:
    member, work_id, round_id = await one_work_round(conn)
    await submit(conn, member, round_id, work_id)
    preview = await closing.ranking_of(conn, SECRETARY, round_id=round_id)

    await closing.close_round(conn, SECRETARY, round_id=round_id)
    stored = await closing.ranking_of(conn, SECRETARY, round_id=round_id)

    assert stored == preview
    assert [list(r) for r in stored] == [list(r) for r in preview]  # in the order the explanation gives its fields
