"""Decision use cases on a real database: what is refused stores nothing, and each district answers for itself."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.registry.decisions import db as decisions_db
from services.registry.decisions import usecases as decisions
from services.registry.decisions.domain import district_counts
from services.registry.tables import decisions as decisions_table
from services.registry.tables import outbox
from shared.contracts.decisions import CloseTier, OpenTier, SetQuotas
from shared.principal import Membership, Principal
from shared.refusals import Refusal
from tests.support.personas import PERSONAS

CHAIR, CENTRAL = PERSONAS["council.chair"].principal(), PERSONAS["central.staff"].principal()
STAFF_7, STAFF_12 = PERSONAS["staff.d07"].principal(), PERSONAS["staff.d12"].principal()
MEMBER_7 = PERSONAS["member.d07"].principal()


async def issue(conn: AsyncConnection, parameters=None, districts=(7,), principal=CHAIR,
                body: str = "policy-council") -> dict:
    """A decision to district 7 (actionable when it has parameters), the council's unless another body is named."""
    return await decisions.issue(
        conn, principal, title="مصوبه آزمایشی", text="متن", issuing_body=body,
        kind="actionable" if parameters else "directive", all_districts=False, districts=list(districts),
        committees=[], ack_deadline_date=None, ack_deadline_at=datetime.now(UTC) + timedelta(days=1),
        parameters=parameters)


async def stored(conn: AsyncConnection) -> tuple[int, int]:
    """How many decisions and outbox events there are."""
    return ((await conn.execute(select(func.count()).select_from(decisions_table))).scalar_one(),
            (await conn.execute(select(func.count()).select_from(outbox))).scalar_one())


@pytest.mark.parametrize("action", [CloseTier(edition="1405", tier=1, district=7), OpenTier(edition="1405", tier=2)])
async def test_a_tier_action_nothing_would_carry_out_is_refused_and_stores_nothing(
        conn: AsyncConnection, action: OpenTier) -> None:
    before = await stored(conn)
    with pytest.raises(Refusal) as refused:
        await issue(conn, action)
    assert refused.value.code == "action_not_supported"
    assert await stored(conn) == before
    assert (await issue(conn, OpenTier(edition="1405", tier=1, district=7)))["districts"] == [7]


async def test_a_decision_goes_down_step_by_step_and_each_district_answers_for_itself(conn: AsyncConnection) -> None:
    decision_id = (await issue(conn, districts=(7, 12)))["id"]
    with pytest.raises(Refusal) as early:
        await decisions.answer(conn, STAFF_7, decision_id, district=7, step="acknowledge", note="")
    assert early.value.code == "cannot_acknowledge"
    with pytest.raises(Refusal) as not_central:
        await decisions.relay(conn, STAFF_7, decision_id, districts=None, notes={})
    assert not_central.value.code == "forbidden"

    assert await decisions.relay(conn, CENTRAL, decision_id, districts=None, notes={7: " یادداشت "}) == [7, 12]
    with pytest.raises(Refusal) as foreign:
        await decisions.answer(conn, STAFF_12, decision_id, district=7, step="acknowledge", note="")
    assert foreign.value.code == "not_district_staff"
    await decisions.answer(conn, STAFF_7, decision_id, district=7, step="acknowledge", note="دریافت شد")

    seen_by_7 = await decisions.decision(conn, STAFF_7, decision_id)
    assert [(r["district"], r["status"], r["relay_note"]) for r in seen_by_7["per_district"]] == [
        (7, "acknowledged", "یادداشت")]
    assert (await decisions.decision(conn, CHAIR, decision_id))["summary"] == {
        "counts": {"acknowledged": 1, "relayed": 1}, "overdue": []}
    assert [d["id"] for d in await decisions.decisions(conn, STAFF_12, district=None, limit=50, offset=0)
            ].count(decision_id) == 1


async def test_a_relay_one_district_refuses_changes_no_district(conn: AsyncConnection) -> None:
    decision_id = (await issue(conn, districts=(7, 12)))["id"]
    before = await stored(conn)
    for districts, code in (([7, 12, 3], "not_found"), ([12, 7, 12], "cannot_relay")):
        with pytest.raises(Refusal) as refused:
            await decisions.relay(conn, CENTRAL, decision_id, districts=districts, notes={})
        assert refused.value.code == code
        assert await stored(conn) == before
        seen = await decisions.decision(conn, CHAIR, decision_id)
        assert {r["district"]: r["status"] for r in seen["per_district"]} == {7: "issued", 12: "issued"}
    assert await decisions.relay(conn, CENTRAL, decision_id, districts=[12, 7], notes={12: "فوری"}) == [7, 12]
    relayed = (await conn.execute(select(outbox.c.payload).where(
        outbox.c.event_type == "registry.decision.relayed", outbox.c.correlation_id == str(decision_id)))).scalars()
    assert sorted((p["district"], p["note"]) for p in relayed) == [(7, ""), (12, "فوری")]


async def test_only_the_council_issues_actionable_decisions_and_the_event_says_in_what_authority(
        conn: AsyncConnection) -> None:
    quotas = SetQuotas(edition="1405", per_district=3)
    for name, body in (("festival.secretary", "festival-secretary"), ("committee.welfare.chair", "committee-welfare"),
                       ("jury.secretary", "jury")):
        before = await stored(conn)
        with pytest.raises(Refusal) as refused:
            await issue(conn, quotas, principal=PERSONAS[name].principal(), body=body)
        assert refused.value.code == "not_actionable_issuer", name
        assert await stored(conn) == before
        assert (await issue(conn, principal=PERSONAS[name].principal(), body=body))["districts"] == [7]  # a directive

    secretary = Principal(subject="s", username="s", name="", memberships=[
        Membership(body="policy-council", kind="policy_council", role="secretary")])
    decision_id = (await issue(conn, quotas, principal=secretary))["id"]
    payloads = (await conn.execute(select(outbox.c.payload).where(
        outbox.c.event_type == "registry.decision.issued", outbox.c.exchange == "hami.internal"))).scalars().all()
    issued = next(p for p in payloads if p["decision_id"] == str(decision_id))
    assert (issued["issuer_kind"], issued["issuer_role"]) == ("policy_council", "secretary")


async def test_a_district_committee_reads_its_districts_decisions_but_neither_acknowledges_nor_reports_them(
        conn: AsyncConnection) -> None:
    decision_id = (await issue(conn))["id"]
    await decisions.relay(conn, CENTRAL, decision_id, districts=None, notes={})
    seen = await decisions.district_decision(conn, MEMBER_7, decision_id, 7)
    assert seen["next_step"] == "acknowledge" and seen["may_take_step"] is False
    assert (await decisions.district_decision(conn, STAFF_7, decision_id, 7))["may_take_step"] is True
    for step in ("acknowledge", "implement"):
        with pytest.raises(Refusal) as refused:
            await decisions.answer(conn, MEMBER_7, decision_id, district=7, step=step, note="")
        assert refused.value.code == "not_district_staff"


async def test_an_operational_decision_informs_and_an_overdue_one_keeps_its_correlation_id(
        conn: AsyncConnection) -> None:
    before = district_counts((await decisions_db.status_counts(conn, district=7)).get(7, []))
    informs = (await issue(conn, SetQuotas(edition="1405", per_district=3)))
    asks = (await issue(conn))
    assert informs["requires_acknowledgement"] is False and asks["requires_acknowledgement"] is True
    for decision in (informs, asks):
        await decisions.relay(conn, CENTRAL, decision["id"], districts=None, notes={})
    await conn.execute(update(decisions_table).where(decisions_table.c.id.in_([informs["id"], asks["id"]]))
                       .values(ack_deadline=datetime.now(UTC) - timedelta(minutes=1)))

    await decisions.flag_overdue(conn)
    overdue = (await conn.execute(select(outbox.c.payload, outbox.c.correlation_id).where(
        outbox.c.event_type == "registry.decision.overdue", outbox.c.exchange == "hami.internal"))).all()
    mine = [(p["decision_id"], c) for p, c in overdue if p["decision_id"] in (str(informs["id"]), str(asks["id"]))]
    assert mine == [(str(asks["id"]), str(asks["id"]))]
    after = district_counts((await decisions_db.status_counts(conn, district=7)).get(7, []))
    assert after == {**before, "addressed": before["addressed"] + 1, "pending": before["pending"] + 1,
                     "overdue": before["overdue"] + 1}
    seen = await decisions.district_decision(conn, STAFF_7, informs["id"], 7)
    assert seen["next_step"] is None and seen["overdue"] is False
    relayed = (await conn.execute(select(outbox.c.payload).where(
        outbox.c.event_type == "registry.decision.relayed", outbox.c.correlation_id == str(informs["id"])))).scalar()
    assert relayed["requires_acknowledgement"] is False
    with pytest.raises(Refusal) as refused:
        await decisions.answer(conn, STAFF_7, informs["id"], district=7, step="acknowledge", note="")
    assert refused.value.code == "acknowledgement_not_required"
