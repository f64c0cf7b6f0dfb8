"""Events in process, through the handler table as the consumer binds it, against a real database (rolled back):
rounds opened and closed (each typed as itself), reports up to the committees, results without withdrawn works."""

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.notifications import db
from services.notifications.handlers import TABLE, Handlers
from shared.contracts import evaluation as ev
from shared.contracts import registry as reg
from shared.contracts import submissions as sub
from shared.contracts.base import Event
from shared.principal import BodyKind, Role
from tests.support.notifications_db import member, recorder

BOUND = {**TABLE.bind(Handlers(recorder())), **TABLE.bind_public(Handlers(recorder()))}


async def consume(conn: AsyncConnection, event: Event) -> None:
    """What the consumer does with a message: the table's handler for its type, in the given transaction."""
    contract, handler = BOUND[event.event_type()]
    await handler(conn, contract.model_validate(event.model_dump(mode="json")))


async def ledger(conn: AsyncConnection, event: Event) -> set[tuple[str, str, str]]:
    """(rule, channel, recipient) of the rows an event wrote."""
    rows = await conn.execute(select(db.deliveries.c.rule, db.deliveries.c.channel, db.deliveries.c.recipient)
                              .where(db.deliveries.c.event_id == event.event_id))
    return {tuple(row) for row in rows}


def round_event(contract: type[ev.RoundOpened] | type[ev.RoundClosed], round_id: uuid.UUID, **extra) -> Event:
    """A tier-1 round of district 7."""
    return contract(round_id=round_id, edition="1405", tier=1, category="welfare", district=7,
                    deadline=datetime.now(UTC) + timedelta(days=7), **extra)


async def test_an_opened_round_tells_its_evaluators_and_a_closed_one_is_only_kept(conn: AsyncConnection) -> None:
    evaluator, round_id = await member(conn, BodyKind.EXECUTIVE_COMMITTEE, Role.MEMBER, 7), uuid.uuid4()
    opened = round_event(ev.RoundOpened, round_id, evaluator_ids=[evaluator])
    await consume(conn, opened)
    assert {(rule, channel) for rule, channel, _ in await ledger(conn, opened)} == {
        ("round_opened", "email"), ("round_opened", "inbox")}

    closed = round_event(ev.RoundClosed, round_id)
    await consume(conn, closed.model_copy(update={"category": "participation"}))
    assert await ledger(conn, closed) == set()
    kept = (await conn.execute(select(db.rounds).where(db.rounds.c.round_id == round_id))).mappings().one()
    assert kept["category"] == "participation" and kept["tier"] == 1


async def test_the_city_report_reaches_the_festival_secretary_committees_the_jury_and_the_council(
        conn: AsyncConnection) -> None:
    heard = {kind: await member(conn, kind, role) for kind, role in (
        (BodyKind.FESTIVAL_SECRETARY, Role.SECRETARY), (BodyKind.SPECIALISED_COMMITTEE, Role.CHAIR),
        (BodyKind.JURY_COMMITTEE, Role.JUROR), (BodyKind.POLICY_COUNCIL, Role.MEMBER))}
    not_heard = [await member(conn, BodyKind.DISTRICT_SECRETARIAT, Role.SECRETARY, 7)]
    report = reg.ReportFiled(report_id=uuid.uuid4(), period_start=date(2026, 9, 23), period_end=date(2026, 10, 22),
                             figures={})
    await consume(conn, report)
    inboxes = {recipient for rule, channel, recipient in await ledger(conn, report) if channel == "inbox"}
    assert inboxes >= {str(person) for person in heard.values()}
    assert not inboxes & {str(person) for person in not_heard}


async def test_a_withdrawn_work_hears_no_results(conn: AsyncConnection) -> None:
    works = []
    for title in ("اثر ماندگار", "اثر انصرافی"):
        received = sub.WorkReceived(
            work_id=uuid.uuid4(), tracking_code=f"4056-{uuid.uuid4().int % 10**4:04d}-5678", district=7,
            neighbourhood="نارمک", category="welfare", title=title, submitter_name="شهروند",
            submitter_national_id="0012345678", submitter_mobile=f"0912{uuid.uuid4().int % 10**7:07d}",
            edition="1405")
        await consume(conn, received)
        works.append(received)
    await consume(conn, sub.WorkWithdrawn(
        work_id=works[1].work_id, edition="1405", district=7, category="welfare", tracking_code=works[1].tracking_code,
        reason="انصراف", withdrawn_at=datetime.now(UTC), submitter_mobile=works[1].submitter_mobile))
    results = ev.ResultsPublished(edition="1405", category="welfare", awards=[])
    await consume(conn, results)
    told = {recipient for _, channel, recipient in await ledger(conn, results) if channel == "sms"}
    assert works[0].submitter_mobile in told and works[1].submitter_mobile not in told
