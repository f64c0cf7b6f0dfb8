"""Calls use cases on a real database: set up, opened and closed by city-wide staff with their events, by the
council's decisions (a decision that cannot be carried out changes nothing), and at their deadline."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection
from structlog.testing import capture_logs

from services.submissions.calls import db, usecases
from services.submissions.handlers import on_decision
from shared.contracts.decisions import CloseCall, OpenCall
from shared.contracts.registry import DecisionIssued
from shared.refusals import Refusal
from tests.support.submissions_db import FESTIVAL_SECRETARY, STAFF_07, festival, rows


async def call_events(conn: AsyncConnection, edition: str) -> list[str]:
    result = await conn.execute(
        text("SELECT event_type || '@' || exchange FROM outbox "
                                      "WHERE payload->>'edition' = :e ORDER BY id"), {"e": edition})
    return [row[0].removeprefix("submissions.call.") for row in result]


def decision(action, issuer_kind: str | None = "policy_council", issuer_role: str | None = "chair") -> DecisionIssued:
    """A decision as registry publishes it (by the council's chair unless told otherwise)."""
    return DecisionIssued(decision_id=uuid.uuid4(), title="فراخوان", text="متن", issuing_body="policy-council",
                          kind="call", all_districts=True, districts=[], committees=[],
                          ack_deadline=datetime.now(UTC) + timedelta(days=7), parameters=action,
                          issuer_kind=issuer_kind, issuer_role=issuer_role)


async def test_a_call_is_set_up_opened_and_closed_with_its_events(conn: AsyncConnection) -> None:
    await festival(conn, "1391", open_call=False)
    assert (await db.get_call(conn, edition="1391"))["state"] == "draft"

    opened = await usecases.open_call(conn, FESTIVAL_SECRETARY, "1391", now=datetime.now(UTC))
    closed = await usecases.close_call(conn, FESTIVAL_SECRETARY, "1391", now=datetime.now(UTC))

    assert opened["state"] == "open" and [o["name_fa"] for o in opened["offices"]] == ["بهار"]
    assert closed["state"] == "closed"
    assert await call_events(conn, "1391") == ["opened@hami.internal", "opened@hami.public",
                                               "closed@hami.internal", "closed@hami.public"]
    with pytest.raises(Refusal) as refusal:
        await usecases.open_call(conn, STAFF_07, "1391", now=datetime.now(UTC))
    assert refusal.value.code == "forbidden"


async def test_the_councils_decisions_open_and_close_a_call_once(conn: AsyncConnection) -> None:
    now = datetime.now(UTC)
    opening = decision(OpenCall(edition="1397", categories={"welfare": "رفاه"}, opens_at=now - timedelta(hours=1),
                                closes_at=now + timedelta(days=30)))

    await on_decision(conn, opening)
    await on_decision(conn, decision(OpenCall(edition="1397", categories={}, opens_at=now + timedelta(days=9),
                                              closes_at=now + timedelta(days=1))))  # backwards: not carried out

    call = await db.get_call(conn, edition="1397")
    assert call["state"] == "open" and call["categories"] == {"welfare": "رفاه"}
    assert call["decision_id"] == opening.decision_id
    assert (await db.get_edition(conn, code="1397"))["title_fa"] == "جشنواره حامی ۱۳۹۷"
    assert await call_events(conn, "1397") == ["opened@hami.internal", "opened@hami.public"]
    await on_decision(conn, decision(CloseCall(edition="1397")))
    await on_decision(conn, decision(CloseCall(edition="1300")))  # never opened: not carried out
    assert (await db.get_call(conn, edition="1397"))["state"] == "closed"
    assert await rows(conn, "SELECT count(*) FROM editions WHERE code = '1300'") == 0


@pytest.mark.parametrize(("kind", "role"), [
    ("festival_secretary", "secretary"), ("specialised_committee", "chair"), ("policy_council", "member"),
    ("central_secretariat", "staff"), (None, None)])
async def test_a_decision_without_the_councils_authority_opens_and_closes_nothing(
        conn: AsyncConnection, kind: str | None, role: str | None) -> None:
    await festival(conn, "1394")
    now = datetime.now(UTC)
    opening = decision(OpenCall(edition="1395", categories={"welfare": "رفاه"}, opens_at=now - timedelta(hours=1),
                                closes_at=now + timedelta(days=30)), kind, role)
    before = await rows(conn, "SELECT (SELECT count(*) FROM outbox) * 100 + (SELECT count(*) FROM editions)")

    with capture_logs() as logged:
        await on_decision(conn, opening)
        await on_decision(conn, decision(CloseCall(edition="1394"), kind, role))

    assert await db.get_edition(conn, code="1395") is None
    assert (await db.get_call(conn, edition="1394"))["state"] == "open"
    assert await rows(conn, "SELECT (SELECT count(*) FROM outbox) * 100 + (SELECT count(*) FROM editions)") == before
    assert [(e["event"], e["log_level"], e["issuer_kind"]) for e in logged] == [
        ("decision.refused_authority", "warning", kind)] * 2
    with pytest.raises(Refusal) as refused:
        await usecases.carry_out_decision(conn, decision_id=opening.decision_id, action=opening.parameters,
                                          issuer_kind=kind, issuer_role=role, now=now)
    assert refused.value.code == "decision_not_authorised" and refused.value.fa


@pytest.mark.parametrize("role", ["chair", "secretary"])
async def test_the_councils_chair_or_secretary_opens_a_call_by_decision(conn: AsyncConnection, role: str) -> None:
    now = datetime.now(UTC)
    await on_decision(conn, decision(OpenCall(edition="1395", categories={"welfare": "رفاه"},
                                              opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=30)),
                                     "policy_council", role))

    assert (await db.get_call(conn, edition="1395"))["state"] == "open"


async def test_calls_past_their_deadline_are_closed_on_schedule(conn: AsyncConnection) -> None:
    await festival(conn, "1393")
    await conn.execute(text(
        "UPDATE calls SET closes_at = now() - interval '1 minute' WHERE edition = '1393'"))

    closed = await usecases.close_calls_past_deadline(conn, now=datetime.now(UTC))

    assert closed == ["1393"] and (await db.get_call(conn, edition="1393"))["state"] == "closed"
    assert await usecases.close_calls_past_deadline(conn, now=datetime.now(UTC)) == []
