"""Who is drawn to judge and what they see (issue #11): a committee's secretary and the jury's secretary or chair
are never drawn unless they also hold a judging role; a person who speaks for the submitting organisation is never
given its work; an evaluator sees what judging needs and nothing of the submitter."""

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from services.evaluation import db, db_rounds
from services.evaluation.domain import WITH_JURY
from services.evaluation.usecases import opening, sheets, works
from shared.contracts.registry import MemberAppointed
from shared.principal import Principal
from shared.refusals import Refusal
from tests.support.evaluation_db import committee_member, received
from tests.support.scratch_db import signed_in_as

DISTRICT, CATEGORY, EDITION = 5, "entrepreneurship", "1405"
SECRETARY = signed_in_as("district_secretariat", "secretary", DISTRICT)
CENTRAL = signed_in_as("central_secretariat", "staff")
CHARITY = "charity-mehr"


def too_few():
    """Expect the round to be refused for lack of conflict-free evaluators."""
    return pytest.raises(Refusal, check=lambda r: r.code == "too_few_evaluators")


async def drawn(conn: AsyncConnection, round_id: uuid.UUID) -> set[str]:
    """Everyone the round gave a work to."""
    return {str(p) for people in (await db_rounds.round_assignments(conn, round_id=round_id)).values() for p in people}


async def test_a_committees_secretary_is_not_drawn_at_tier_one(conn: AsyncConnection) -> None:
    member = await committee_member(conn, DISTRICT)
    chair = await committee_member(conn, DISTRICT, kind="scientific_committee", role="chair")
    secretary = await committee_member(conn, DISTRICT, role="secretary")
    for title in ("کارگاه", "بازارچه"):
        await received(conn, DISTRICT, CATEGORY, EDITION, title)
    with too_few():  # three people sit on the committees, but only two of them judge
        await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT, category=CATEGORY,
                                 deadline=None, k=3)

    round_ = await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT, category=CATEGORY,
                                      deadline=None, k=2)

    assert await drawn(conn, round_["id"]) == {member.subject, chair.subject}
    assert secretary.subject not in await drawn(conn, round_["id"])


async def test_only_jurors_are_drawn_at_tier_two_never_the_jurys_secretary_or_chair(conn: AsyncConnection) -> None:
    juror = await committee_member(conn, None, kind="jury_committee", role="juror")
    jury_secretary = await committee_member(conn, None, kind="jury_committee", role="secretary")
    await committee_member(conn, None, kind="jury_committee", role="chair")
    works = [await received(conn, district, CATEGORY, EDITION, f"اثر {district}") for district in (2, 9)]
    await db.set_status(conn, work_ids=works, status=WITH_JURY)
    with too_few():
        await opening.open_round(conn, CENTRAL, edition=EDITION, tier=2, district=None, category=CATEGORY,
                                 deadline=None, k=2)

    round_ = await opening.open_round(conn, CENTRAL, edition=EDITION, tier=2, district=None, category=CATEGORY,
                                      deadline=None, k=1)

    assert await drawn(conn, round_["id"]) == {juror.subject}
    assert await sheets.my_works(conn, jury_secretary, round_id=round_["id"]) == []


async def test_a_jury_chair_who_is_also_a_juror_is_drawn(conn: AsyncConnection) -> None:
    chair = await committee_member(conn, None, kind="jury_committee", role="chair")
    await committee_member(conn, None, kind="jury_committee", role="juror")
    await also_appointed(conn, chair, "juror")
    work_id = await received(conn, 3, CATEGORY, EDITION, "اثر")
    await db.set_status(conn, work_ids=[work_id], status=WITH_JURY)

    round_ = await opening.open_round(conn, CENTRAL, edition=EDITION, tier=2, district=None, category=CATEGORY,
                                      deadline=None, k=2)

    assert chair.subject in await drawn(conn, round_["id"])


async def also_appointed(conn: AsyncConnection, person: Principal, role: str) -> None:
    """The person takes a second role in the body they sit on, as evaluation learns it."""
    body = person.memberships[0]
    await works.mirror_membership(conn, MemberAppointed(
        appointment_id=uuid.uuid4(), person_id=uuid.UUID(person.subject), body_code=body.body, body_kind=body.kind,
        role=role, district=body.district))


async def test_who_speaks_for_the_submitting_organisation_is_never_given_its_work(conn: AsyncConnection) -> None:
    representative = await committee_member(conn, DISTRICT, organisations=(CHARITY,))
    other = await committee_member(conn, DISTRICT, kind="young_citizens_committee")
    charity_work = await received(conn, DISTRICT, CATEGORY, EDITION, "سفرهٔ مهربانی", organisation=CHARITY)
    citizen_work = await received(conn, DISTRICT, CATEGORY, EDITION, "کتابخانهٔ کوچه")
    with too_few() as refusal:
        await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT, category=CATEGORY,
                                 deadline=None, k=2)
    assert refusal.value.details == {str(charity_work): 1}

    round_ = await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT, category=CATEGORY,
                                      deadline=None, k=1)

    plan = await db_rounds.round_assignments(conn, round_id=round_["id"])
    assert plan[charity_work] == [uuid.UUID(other.subject)]
    assert charity_work not in {w["work_id"] for w in await sheets.my_works(conn, representative,
                                                                             round_id=round_["id"])}
    assert citizen_work in plan


async def test_an_evaluator_sees_what_judging_needs_and_nothing_of_the_submitter(conn: AsyncConnection) -> None:
    member = await committee_member(conn, DISTRICT)
    work_id = await received(conn, DISTRICT, CATEGORY, EDITION, "باغچه", mobile="09351112233", organisation=CHARITY)
    round_ = await opening.open_round(conn, SECRETARY, edition=EDITION, tier=1, district=DISTRICT, category=CATEGORY,
                                      deadline=None, k=1)

    [work] = await sheets.my_works(conn, member, round_id=round_["id"])

    assert work["work_id"] == work_id
    assert set(work) == {"work_id", "district", "neighbourhood", "category", "title", "sheet"}
