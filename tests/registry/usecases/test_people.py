"""People, account and organisation use cases on a real database: who may appoint where, and refusals that
leave nothing behind."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.identity import usecases as identity
from services.registry.organisations import usecases as organisations
from services.registry.organisations.domain import Organisation
from services.registry.people import usecases as people
from services.registry.tables import outbox
from services.registry.tables import people as people_table
from shared.principal import Principal
from shared.refusals import Refusal
from tests.support.personas import PERSONAS

SECRETARY, SECRETARY_7 = PERSONAS["festival.secretary"].principal(), PERSONAS["secretary.d07"].principal()
STAFF_7 = PERSONAS["staff.d07"].principal()


async def refused(coroutine) -> str:
    """The code of the refusal the use case answers with."""
    with pytest.raises(Refusal) as refusal:
        await coroutine
    return refusal.value.code


async def test_appointments_follow_the_table_and_a_removal_names_its_body(conn: AsyncConnection) -> None:
    person = (await people.register(conn, SECRETARY_7, name="  عضو   تازه ", mobile="۰۹۱۲۱۱۱۲۲۳۳", email=None))
    assert person["name"] == "عضو تازه" and person["mobile"] == "09121112233"
    assert await refused(people.appoint(conn, SECRETARY, person_id=person["id"],
                                        body_code="district-07-executive", role="member")) == "forbidden"
    appointment = await people.appoint(conn, SECRETARY_7, person_id=person["id"], body_code="district-07-executive",
                                       role="member")
    assert await refused(people.appoint(conn, SECRETARY_7, person_id=person["id"], body_code="district-07-executive",
                                        role="member")) == "already_appointed"
    assert await refused(people.remove(conn, SECRETARY_7, body_code="district-07-young-citizens",
                                       appointment_id=appointment)) == "not_found"
    await people.remove(conn, SECRETARY_7, body_code="district-07-executive", appointment_id=appointment)
    assert (await people.person(conn, SECRETARY, person["id"]))["memberships"] == []
    assert await refused(people.person(conn, STAFF_7, person["id"])) == "not_found"


async def test_an_account_refused_for_one_appointment_leaves_no_person_behind(conn: AsyncConnection) -> None:
    count = select(func.count()).select_from(people_table)
    before = (await conn.execute(count)).scalar_one()
    with pytest.raises(Refusal) as refusal:
        async with conn.begin_nested():  # as a route's transaction: the refusal rolls it back
            await identity.create_account(
                conn, SECRETARY_7, username="staff.mixed", password="long-enough-password", name="کارمند",
                mobile=None, email=None, memberships=[("district-07", "staff"), ("jury", "juror")])
    assert refusal.value.code == "forbidden"
    assert (await conn.execute(count)).scalar_one() == before
    assert await refused(identity.create_account(
        conn, STAFF_7, username="staff.bare", password="long-enough-password", name="کارمند", mobile=None,
        email=None, memberships=[])) == "forbidden"


async def test_organisations_stay_in_their_district_and_keep_legal_ids_unique(conn: AsyncConnection) -> None:
    sara = Organisation(code="sara-test", kind="neighbourhood_centre", name_fa="سرای محله", district=7)
    assert await refused(organisations.register(conn, SECRETARY_7, Organisation(
        **{**sara.__dict__, "code": "sara-other", "district": 3}))) == "forbidden"
    assert (await organisations.register(conn, SECRETARY_7, sara)).district == 7
    assert await refused(organisations.register(conn, SECRETARY, sara)) == "organisation_exists"
    ngo = Organisation(code="ngo-test", kind="ngo", name_fa="انجمن", legal_entity_id="10380284790")
    await organisations.register(conn, SECRETARY, ngo)
    assert await refused(organisations.register(conn, SECRETARY, Organisation(
        **{**ngo.__dict__, "code": "ngo-copy"}))) == "legal_entity_id_taken"
    account, person = await organisations.open_account(conn, SECRETARY_7, "sara-test", username="sara.rep",
                                                       password="long-enough-password", name="نماینده",
                                                       mobile=None, email=None)
    assert account and person
    assert await refused(organisations.open_account(conn, SECRETARY_7, "sara-test", username="sara.rep",
                                                    password="long-enough-password", name="نماینده",
                                                    mobile=None, email=None)) == "username_taken"


async def test_members_lists_are_for_staff_who_need_them_never_for_organisation_accounts(
        conn: AsyncConnection) -> None:
    organisation = Principal(subject="o", username="org", name="", memberships=[], organisation="sara-test")
    member_7 = PERSONAS["member.d07"].principal()
    for body in ("district-07-executive", "district-07", "jury", "policy-council"):
        assert await refused(people.members(conn, organisation, body)) == "forbidden", body
    assert await refused(people.members(conn, member_7, "district-07-scientific")) == "forbidden"
    assert await refused(people.members(conn, STAFF_7, "district-12-executive")) == "forbidden"
    assert await refused(people.members(conn, STAFF_7, "jury")) == "forbidden"
    for who, body in ((member_7, "district-07-executive"), (STAFF_7, "district-07-scientific"),
                      (SECRETARY, "district-12-executive"), (PERSONAS["jury.juror"].principal(), "district-07")):
        assert isinstance(await people.members(conn, who, body), list), (who.username, body)


async def test_a_hand_over_ends_the_previous_holders_appointment_and_seats_the_new_one_at_once(
        conn: AsyncConnection) -> None:
    chair = PERSONAS["council.chair"].principal()
    first = (await people.register(conn, SECRETARY, name="دبیر نخست", mobile=None, email=None))["id"]
    second = (await people.register(conn, SECRETARY, name="دبیر دوم", mobile=None, email=None))["id"]
    await people.appoint(conn, chair, person_id=first, body_code="festival-secretary", role="secretary")
    assert await refused(people.hand_over(conn, SECRETARY, body_code="festival-secretary", role="secretary",
                                          person_id=second)) == "forbidden"
    assert await refused(people.hand_over(conn, chair, body_code="festival-secretary", role="staff",
                                          person_id=second)) == "not_a_head_role"
    assert await refused(people.hand_over(conn, chair, body_code="festival-secretary", role="secretary",
                                          person_id=first)) == "already_appointed"

    handed = await people.hand_over(conn, chair, body_code="festival-secretary", role="secretary", person_id=second)
    assert handed["replaced"] == [first]
    assert (await people.person(conn, SECRETARY, first))["memberships"] == []
    assert [m["body"] for m in (await people.person(conn, SECRETARY, second))["memberships"]] == ["festival-secretary"]
    removed = (await conn.execute(select(outbox.c.payload).where(
        outbox.c.event_type == "registry.member.removed"))).scalars().all()
    assert any(p["person_id"] == str(first) and p["body_code"] == "festival-secretary" for p in removed)
