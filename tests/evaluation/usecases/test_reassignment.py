"""Rounds that finish (issue #12): the round's manager reassigns a work from an evaluator who does not score it (the
old draft kept for the record, no longer counted, no longer editable), and ending someone's appointment hands their
unscored works on, or records the work as lacking evaluators when nobody eligible is left."""

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds
from services.evaluation.domain import APPOINTMENT_ENDED, DEFAULT_RUBRIC
from services.evaluation.usecases import closing, opening, reassigning, sheets, works
from shared.contracts.registry import MemberAppointed, MemberRemoved, PersonRegistered
from shared.principal import Membership, Principal
from shared.refusals import Refusal
from tests.support.evaluation_db import committee_member, received
from tests.support.scratch_db import signed_in_as

DISTRICT, OTHER, CATEGORY, EDITION = 6, 8, "welfare", "1380"
SECRETARY = signed_in_as("district_secretariat", "secretary", DISTRICT)
FULL = {c["code"]: 7 for c in DEFAULT_RUBRIC}


def refused(code: str):
    """Expect a refusal with this stable code."""
    return pytest.raises(Refusal, check=lambda r: r.code == code)


async def appointed(conn: AsyncConnection, district: int = DISTRICT, *, mobile: str | None = None,
                    role: str = "member") -> tuple[Principal, MemberAppointed]:
    """A district committee member and the appointment that made them one (to end it later)."""
    person = uuid.uuid4()
    await works.mirror_person(conn, PersonRegistered(person_id=person, name="داور", mobile=mobile, organisations=[]))
    event = MemberAppointed(appointment_id=uuid.uuid4(), person_id=person, body_code=f"district-{district:02d}-x",
                            body_kind="executive_committee", role=role, district=district)
    await works.mirror_membership(conn, event)
    return Principal(subject=str(person), username=f"m.{person.hex[:6]}", name="داور", memberships=[
        Membership(body=event.body_code, kind=event.body_kind, role=role, district=district)]), event


def removed(event: MemberAppointed) -> MemberRemoved:
    """The end of that appointment."""
    return MemberRemoved(**event.model_dump(include={"appointment_id", "person_id", "body_code", "body_kind", "role",
                                                     "district"}))


async def opened(conn: AsyncConnection, k: int, titles: tuple[str, ...] = ("کارگاه",)) -> tuple[dict, list[uuid.UUID]]:
    """A district round over new works, k evaluators each."""
    ids = [await received(conn, DISTRICT, CATEGORY, EDITION, title) for title in titles]
    return await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT, category=CATEGORY,
                                    deadline=None, k=k), ids


def uid(p: Principal) -> uuid.UUID:
    return uuid.UUID(p.subject)


async def holders(conn: AsyncConnection, round_id: uuid.UUID, work_id: uuid.UUID) -> set[uuid.UUID]:
    return set((await db_rounds.round_assignments(conn, round_id=round_id)).get(work_id, []))


async def test_the_manager_reassigns_an_absent_evaluators_work_keeping_the_draft(conn: AsyncConnection) -> None:
    absent, _ = await appointed(conn)
    (round_, [work]) = await opened(conn, k=1)
    spare, _ = await appointed(conn)  # appointed after the round opened: not drawn
    assert await holders(conn, round_["id"], work) == {uid(absent)}
    await sheets.save_sheet(conn, absent, round_id=round_["id"], work_id=work, scores={"innovation": 3}, comment="",
                            submit=False)

    done = await reassigning.reassign(conn, SECRETARY, round_id=round_["id"], work_id=work, from_person=uid(absent),
                                      to_person=uid(spare), reason="داور در دسترس نیست")

    assert done["to_person"] == uid(spare)
    assert await holders(conn, round_["id"], work) == {uid(spare)}
    assert [w["work_id"] for w in await sheets.my_works(conn, spare, round_id=round_["id"])] == [work]
    assert await sheets.my_works(conn, absent, round_id=round_["id"]) == []
    with refused("not_found"):  # the old evaluator can no longer score it, as with any work not theirs
        await sheets.save_sheet(conn, absent, round_id=round_["id"], work_id=work, scores=FULL, comment="",
                                submit=True)
    draft = await db_rounds.round_sheets(conn, round_id=round_["id"], evaluator=uid(absent))
    assert [s["state"] for s in draft] == ["draft"]  # kept for the record
    record = (await conn.execute(select(db_rounds.assignments).where(
        db_rounds.assignments.c.evaluator_id == uid(absent)))).mappings().one()
    assert record["ended_reason"] == "داور در دسترس نیست" and record["replaced_by"] == uid(spare)
    told = (await conn.execute(select(db.outbox.c.payload).where(
        db.outbox.c.event_type == "evaluation.assignment.made").order_by(db.outbox.c.id.desc()))).first()[0]
    assert told["evaluator_ids"] == [str(uid(spare))]
    await sheets.save_sheet(conn, spare, round_id=round_["id"], work_id=work, scores=FULL, comment="", submit=True)
    assert await closing.close_round(conn, SECRETARY, round_id=round_["id"]) == [work]


async def test_reassignment_refusals(conn: AsyncConnection) -> None:
    first, _ = await appointed(conn)
    second, _ = await appointed(conn, mobile="09350000000")  # the default submitter's mobile: their own work
    (round_, [work]) = await opened(conn, k=1)
    assert await holders(conn, round_["id"], work) == {uid(first)}  # the second is in conflict
    elsewhere, _ = await appointed(conn, OTHER)
    secretary, _ = await appointed(conn, role="secretary")
    free, _ = await appointed(conn)
    ask = {"round_id": round_["id"], "work_id": work, "reason": "غیبت"}

    with refused("forbidden"):
        await reassigning.reassign(conn, signed_in_as("district_secretariat", "secretary", OTHER), **ask,
                                   from_person=uid(first), to_person=uid(free))
    with refused("not_found"):
        await reassigning.reassign(conn, SECRETARY, **{**ask, "work_id": uuid.uuid4()}, from_person=uid(first),
                                   to_person=uid(free))
    with refused("not_assigned"):
        await reassigning.reassign(conn, SECRETARY, **ask, from_person=uid(free), to_person=uid(second))
    for stranger in (elsewhere, secretary):  # another district's member; a secretary who does not judge
        with refused("not_eligible"):
            await reassigning.reassign(conn, SECRETARY, **ask, from_person=uid(first), to_person=uid(stranger))
    with refused("already_assigned"):
        await reassigning.reassign(conn, SECRETARY, **ask, from_person=uid(first), to_person=uid(first))
    with refused("conflict_of_interest"):
        await reassigning.reassign(conn, SECRETARY, **ask, from_person=uid(first), to_person=uid(second))

    await reassigning.reassign(conn, SECRETARY, **ask, from_person=uid(first), to_person=uid(free))
    with refused("already_assigned"):  # the work is not handed back to the one it was taken from
        await reassigning.reassign(conn, SECRETARY, **ask, from_person=uid(free), to_person=uid(first))
    await sheets.save_sheet(conn, free, round_id=round_["id"], work_id=work, scores=FULL, comment="", submit=True)
    with refused("sheet_submitted"):
        await reassigning.reassign(conn, SECRETARY, **ask, from_person=uid(free), to_person=uid(first))
    await closing.close_round(conn, SECRETARY, round_id=round_["id"])
    with refused("round_closed"):
        await reassigning.reassign(conn, SECRETARY, **ask, from_person=uid(free), to_person=uid(first))


async def test_an_ended_appointment_hands_unscored_works_on(conn: AsyncConnection) -> None:
    leaving, appointment = await appointed(conn)
    staying, _ = await appointed(conn)
    (round_, [scored, unscored]) = await opened(conn, k=1, titles=("کارگاه", "بازارچه"))
    # Give the leaving member both works, so one is scored and one is not.
    for work in (scored, unscored):
        if uid(leaving) not in await holders(conn, round_["id"], work):
            await reassigning.reassign(conn, SECRETARY, round_id=round_["id"], work_id=work,
                                       from_person=uid(staying), to_person=uid(leaving), reason="توزیع")
    await sheets.save_sheet(conn, leaving, round_id=round_["id"], work_id=scored, scores=FULL, comment="",
                            submit=True)
    successor, _ = await appointed(conn)

    await works.mirror_membership(conn, removed(appointment))

    assert await holders(conn, round_["id"], scored) == {uid(leaving)}  # a submitted sheet stays and counts
    (taker,) = await holders(conn, round_["id"], unscored)
    assert taker in {uid(staying), uid(successor)}  # someone still judging, never the one it was taken from
    assert (taker, unscored) not in await db_rounds.ever_held(conn, round_id=round_["id"], work_ids=[unscored])
    record = (await conn.execute(select(db_rounds.assignments.c.ended_reason).where(
        db_rounds.assignments.c.evaluator_id == uid(leaving), db_rounds.assignments.c.work_id == unscored))).scalar()
    assert record == APPOINTMENT_ENDED
    with refused("not_found"):
        await sheets.save_sheet(conn, leaving, round_id=round_["id"], work_id=unscored, scores=FULL, comment="",
                                submit=True)


async def test_with_nobody_left_the_work_is_recorded_as_lacking_evaluators(conn: AsyncConnection) -> None:
    leaving, appointment = await appointed(conn)
    (round_, [work]) = await opened(conn, k=1)

    await works.mirror_membership(conn, removed(appointment))

    assert await holders(conn, round_["id"], work) == set()
    assert (await db_rounds.get_round(conn, round_id=round_["id"]))["short"] == {str(work): 1}
    with refused("sheets_missing"):
        await closing.close_round(conn, SECRETARY, round_id=round_["id"])
    newcomer, _ = await appointed(conn)  # the existing top-up staffs it
    assert await holders(conn, round_["id"], work) == {uid(newcomer)}


async def test_someone_still_judging_in_the_district_keeps_their_works(conn: AsyncConnection) -> None:
    member, appointment = await appointed(conn)
    second = MemberAppointed(appointment_id=uuid.uuid4(), person_id=uid(member), body_code="district-06-sci",
                             body_kind="scientific_committee", role="member", district=DISTRICT)
    await works.mirror_membership(conn, second)
    await committee_member(conn, DISTRICT)
    (round_, [work]) = await opened(conn, k=2)

    await works.mirror_membership(conn, removed(appointment))

    assert uid(member) in await holders(conn, round_["id"], work)


async def test_a_juror_whose_appointment_ended_hands_the_jurys_works_on(conn: AsyncConnection) -> None:
    person = uuid.uuid4()
    await works.mirror_person(conn, PersonRegistered(person_id=person, name="داور", mobile=None, organisations=[]))
    appointment = MemberAppointed(appointment_id=uuid.uuid4(), person_id=person, body_code="jury",
                                  body_kind="jury_committee", role="juror")
    await works.mirror_membership(conn, appointment)
    work = await received(conn, 3, CATEGORY, EDITION, "اثر برگزیده")
    await db.set_status(conn, work_ids=[work], status="with_jury")
    round_ = await opening.open_round(conn, signed_in_as("central_secretariat", "staff"), edition=EDITION, tier=2,
                                      district=None, category=CATEGORY, deadline=None, k=1)
    other = await committee_member(conn, None, kind="jury_committee", role="juror")

    await works.mirror_membership(conn, removed(appointment))

    assert await holders(conn, round_["id"], work) == {uid(other)}
