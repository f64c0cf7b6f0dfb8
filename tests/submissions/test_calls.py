"""Editions and calls over HTTP and from the council's decisions on the bus, as staff and registry would."""

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest

from shared.contracts.decisions import CloseCall, OpenCall, SetQuotas
from shared.persian import format_jalali_date
from tests.support.bus import publish_event
from tests.support.submissions import (
    applied,
    call_body,
    central_staff_token,
    count,
    decision,
    error_of,
    snapshot,
    wait_for_neighbourhoods,
    wait_for_status,
    work_body,
)
from tests.support.system import System, bearer
from tests.support.waiting import wait_for


@pytest.fixture
def admin(system: System) -> dict:
    """The festival secretary's headers, once neighbourhoods are known."""
    wait_for_neighbourhoods(system)
    return bearer(system.token())


def url(system: System, path: str) -> str:
    return f"{system.url('submissions')}{path}"


def call_events(system: System, edition: str, action: str) -> list[str]:
    """Exchange and routing key of each call event in the outbox for an edition, oldest first."""
    async def keys() -> list[str]:
        connection = await asyncpg.connect(system.database("submissions", driver="postgresql"))
        try:
            rows = await connection.fetch(
                "SELECT exchange || ':' || routing_key AS key FROM outbox WHERE event_type = $1 "
                "AND payload->>'edition' = $2 ORDER BY id", f"submissions.call.{action}", edition)
            return [r["key"] for r in rows]
        finally:
            await connection.close()
    return asyncio.run(keys())


def test_the_festival_secretary_sets_up_opens_and_closes_a_call(system: System, admin: dict) -> None:
    staff = bearer(system.district_staff_token(7))
    assert httpx.post(url(system, "/editions"), json={"code": "1391"}, headers=admin).status_code == 201
    error_of(httpx.post(url(system, "/editions"), json={"code": "1391"}, headers=admin), 409, "edition_exists")
    yesterday = datetime.now(UTC) - timedelta(days=1)
    question = {"code": "impact", "text_fa": "این طرح چه تغییری در محله ایجاد کرد؟", "required": True}
    body = call_body(opens=yesterday, offices=[{"district": 7, "neighbourhood": "نظام آباد"}], questions=[question])
    configured = httpx.put(url(system, "/editions/1391/call"), json=body, headers=admin)
    assert configured.status_code == 200, configured.text
    call = httpx.get(url(system, "/editions/1391")).json()["call"]  # calls are public
    assert call["state"] == "draft" and call["accepting_works"] is False
    assert call["opens_on"] == format_jalali_date(yesterday) and set(call["categories"]) == {
        "entrepreneurship", "welfare", "participation"}
    assert [o["name_fa"] for o in call["offices"]] == ["نظام آباد"]
    before = snapshot(system)
    error_of(httpx.post(url(system, "/works"), json=work_body(edition="1391"), headers=staff), 409, "call_not_open")
    assert snapshot(system) == before

    opened = httpx.post(url(system, "/editions/1391/call/open"), headers=admin)

    assert opened.status_code == 200 and opened.json()["accepting_works"] is True
    assert call_events(system, "1391", "opened") == ["hami.internal:submissions.call.opened.city",
                                                     "hami.public:submissions.call.opened.city"]
    error_of(httpx.post(url(system, "/editions/1391/call/open"), headers=admin), 409, "call_already_open")
    error_of(httpx.post(url(system, "/works"), json=work_body(edition="1391"), headers=staff), 422, "answer_required")
    answered = work_body(edition="1391", answers={"impact": "وام بی‌بهره به چهل خانوار رسید."})
    work = httpx.post(url(system, "/works"), json=answered, headers=staff)
    assert work.status_code == 201

    closed = httpx.post(url(system, "/editions/1391/call/close"), headers=admin)

    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert len(call_events(system, "1391", "closed")) == 2
    wait_for_status(system, work.json()["id"], "in_district_evaluation")  # the close opens the district's rounds
    before = snapshot(system)
    refused = error_of(httpx.post(url(system, "/works"), json=answered, headers=staff), 409, "call_closed")
    assert refused["details"]["edition"] == "1391"
    error_of(httpx.post(url(system, "/editions/1391/call/close"), headers=admin), 409, "call_already_closed")
    assert snapshot(system) == before


def test_outside_its_dates_a_call_refuses_works_with_its_dates(system: System, admin: dict) -> None:
    staff = bearer(system.district_staff_token(7))
    now = datetime.now(UTC)
    for edition in ("1392", "1393"):
        assert httpx.post(url(system, "/editions"), json={"code": edition}, headers=admin).status_code == 201
    later = call_body(opens=now + timedelta(days=10), closes=now + timedelta(days=20))
    assert httpx.put(url(system, "/editions/1392/call"), json=later, headers=admin).status_code == 200
    assert httpx.post(url(system, "/editions/1392/call/open"), headers=admin).status_code == 200
    assert httpx.put(url(system, "/editions/1393/call"), json=call_body(), headers=admin).status_code == 200
    assert httpx.post(url(system, "/editions/1393/call/open"), headers=admin).status_code == 200
    past = call_body(opens=now - timedelta(days=30), closes=now - timedelta(days=2))
    changed = httpx.put(url(system, "/editions/1393/call"), json=past, headers=admin)  # the deadline moved back
    assert changed.status_code == 200 and changed.json()["accepting_works"] is False
    assert len(call_events(system, "1393", "changed")) == 2
    # Past its closing date an open call is closed on schedule, and the closing is published.
    wait_for(lambda: httpx.get(url(system, "/editions/1393")).json()["call"]["state"] == "closed", timeout=40)
    assert len(call_events(system, "1393", "closed")) == 2
    before = snapshot(system)

    early = error_of(httpx.post(url(system, "/works"), json=work_body(edition="1392"), headers=staff),
                     409, "call_not_open")
    late = error_of(httpx.post(url(system, "/works"), json=work_body(edition="1393"), headers=staff),
                    409, "call_closed")

    assert early["details"]["opens_on"] == later["opens_on"] and "۱۴" in early["message_fa"]
    assert late["details"]["closes_on"] == past["closes_on"]
    assert snapshot(system) == before
    error_of(httpx.post(url(system, "/works"), json=work_body(edition="1300"), headers=staff), 422, "unknown_edition")


def test_only_the_festival_secretary_and_central_secretariat_manage_calls(system: System, admin: dict) -> None:
    staff = bearer(system.district_staff_token(7))
    before = snapshot(system)
    error_of(httpx.post(url(system, "/editions"), json={"code": "1394"}, headers=staff), 403, "forbidden")
    error_of(httpx.put(url(system, "/editions/1391/call"), json=call_body(), headers=staff), 403, "forbidden")
    error_of(httpx.post(url(system, "/editions/1391/call/open"), headers=staff), 403, "forbidden")
    error_of(httpx.post(url(system, "/editions/1391/call/close"), headers=staff), 403, "forbidden")
    error_of(httpx.post(url(system, "/editions"), json={"code": "1394"}), 401, "not_authenticated")
    assert snapshot(system) == before

    central = bearer(central_staff_token(system))
    assert httpx.post(url(system, "/editions"), json={"code": "1394", "title_fa": "جشنواره‌ی آزمایشی"},
                      headers=central).status_code == 201
    assert httpx.put(url(system, "/editions/1394/call"), json=call_body(), headers=central).status_code == 200
    assert httpx.post(url(system, "/editions/1394/call/open"), headers=central).json()["state"] == "open"
    assert "1394" in [e["code"] for e in httpx.get(url(system, "/editions")).json()]


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"opens_on": "1405/13/01"}, 422, "invalid_date"),
    ({"opens_on": "1405/03/10", "closes_on": "1405/03/01"}, 422, "invalid_call_dates"),
    ({"categories": {"Sport!": "ورزش"}}, 422, "invalid_category"),
    ({"categories": {}}, 422, "no_categories"),
    ({"offices": [{"district": 7, "neighbourhood": "ونک"}]}, 422, "unknown_neighbourhood"),
    ({"state": "open"}, 422, "invalid_input"),  # the state is changed only by opening and closing
])
def test_bad_call_settings_are_refused_and_change_nothing(system: System, admin: dict, change: dict, status: int,
                                                         code: str) -> None:
    httpx.post(url(system, "/editions"), json={"code": "1399"}, headers=admin)
    before = snapshot(system)
    error_of(httpx.put(url(system, "/editions/1399/call"), json={**call_body(), **change}, headers=admin), status, code)
    assert snapshot(system) == before


def test_categories_are_editable_but_not_from_under_works(system: System, admin: dict) -> None:
    staff = bearer(system.district_staff_token(12))
    httpx.post(url(system, "/editions"), json={"code": "1395"}, headers=admin)
    categories = {"sport": "ورزش محلي", "welfare": "رفاه و خدمات اجتماعی"}
    assert httpx.put(url(system, "/editions/1395/call"), json=call_body(categories=categories),
                     headers=admin).json()["categories"]["sport"] == "ورزش محلی"
    httpx.post(url(system, "/editions/1395/call/open"), headers=admin)
    refused = error_of(httpx.post(url(system, "/works"), json=work_body(12, edition="1395", category="participation"),
                                  headers=staff), 422, "unknown_category")
    assert refused["details"] == ["sport", "welfare"]
    sport = work_body(12, edition="1395", category="sport", office=None)
    assert httpx.post(url(system, "/works"), json=sport, headers=staff).status_code == 201

    fewer = call_body(categories={"welfare": "رفاه"})
    removed = httpx.put(url(system, "/editions/1395/call"), json=fewer, headers=admin)

    assert error_of(removed, 409, "category_in_use")["details"] == ["sport"]


def test_a_work_names_the_festival_office_that_took_it(system: System, admin: dict) -> None:
    staff = bearer(system.district_staff_token(7))
    httpx.post(url(system, "/editions"), json={"code": "1396"}, headers=admin)
    offices = [{"district": 7, "neighbourhood": "بهار"}, {"district": 3, "neighbourhood": "ونک"}]
    configured = httpx.put(url(system, "/editions/1396/call"), json=call_body(offices=offices), headers=admin)
    assert configured.status_code == 200
    httpx.post(url(system, "/editions/1396/call/open"), headers=admin)

    taken = httpx.post(url(system, "/works"), json=work_body(edition="1396", office="بهار"), headers=staff)

    assert taken.status_code == 201 and taken.json()["office"] == "بهار"
    before = snapshot(system)
    for office in ("نظام آباد", "ونک"):  # no office there; an office, but of another district
        error_of(httpx.post(url(system, "/works"), json=work_body(edition="1396", office=office), headers=staff),
                 422, "unknown_office")
    assert snapshot(system) == before


def test_the_councils_decisions_open_and_close_a_call(system: System, admin: dict) -> None:
    now = datetime.now(UTC)
    open_decision = decision(OpenCall(edition="1397", categories={"welfare": "رفاه و خدمات اجتماعی"},
                                      opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=30)))

    asyncio.run(publish_event(system.amqp_url, open_decision))
    asyncio.run(publish_event(system.amqp_url, open_decision))  # redelivered: applied once

    def opened() -> dict | None:
        edition = httpx.get(url(system, "/editions/1397")).json()
        return edition if (edition.get("call") or {}).get("state") == "open" else None

    edition = wait_for(opened)
    assert edition["title_fa"] == "جشنواره حامی ۱۳۹۷"
    assert edition["call"]["categories"] == {"welfare": "رفاه و خدمات اجتماعی"}
    assert edition["call"]["decision_id"] == str(open_decision.decision_id)
    wait_for(lambda: applied(system, open_decision))
    assert len(call_events(system, "1397", "opened")) == 2
    causes = count(system, "SELECT count(*) FROM outbox WHERE causation_id = $1", str(open_decision.decision_id))
    assert causes == 2

    close_decision = decision(CloseCall(edition="1397"))
    asyncio.run(publish_event(system.amqp_url, close_decision))

    wait_for(lambda: httpx.get(url(system, "/editions/1397")).json()["call"]["state"] == "closed")
    assert len(call_events(system, "1397", "closed")) == 2


def test_a_decision_issued_at_the_registry_opens_and_closes_the_call(system: System, admin: dict) -> None:
    chair = bearer(system.account_token("chair.council", "policy-council", "chair", "رئیس شورا"))
    now = datetime.now(UTC)
    parameters = {"action": "open_call", "edition": "1385",
                  "categories": {"welfare": "رفاه", "participation": "مشارکت"},
                  "opens_at": (now - timedelta(hours=1)).isoformat(),
                  "closes_at": (now + timedelta(days=9)).isoformat()}
    body = {"title": "بازگشایی فراخوان", "text": "فراخوان آثار باز است.", "issuing_body": "policy-council",
            "kind": "actionable", "all_districts": True, "parameters": parameters,
            "ack_deadline_at": (now + timedelta(days=3)).isoformat()}

    issued = httpx.post(f"{system.url('registry')}/decisions", json=body, headers=chair)

    assert issued.status_code == 201, issued.text
    wait_for(lambda: (httpx.get(url(system, "/editions/1385")).json().get("call") or {}).get("accepting_works"))
    staff = bearer(system.district_staff_token(22))
    work = httpx.post(url(system, "/works"), json=work_body(22, edition="1385"), headers=staff)
    assert work.status_code == 201, work.text
    closing = {**body, "parameters": {"action": "close_call", "edition": "1385"}}
    assert httpx.post(f"{system.url('registry')}/decisions", json=closing, headers=chair).status_code == 201
    wait_for(lambda: httpx.get(url(system, "/editions/1385")).json()["call"]["state"] == "closed")
    error_of(httpx.post(url(system, "/works"), json=work_body(22, edition="1385"), headers=staff), 409, "call_closed")


def test_decisions_that_cannot_be_carried_out_or_are_not_about_calls_change_nothing(
        system: System, admin: dict) -> None:
    now = datetime.now(UTC)
    backwards = decision(OpenCall(edition="1398", categories={}, opens_at=now + timedelta(days=9),
                                  closes_at=now + timedelta(days=1)))
    unopened = decision(CloseCall(edition="1300"))
    quotas = decision(SetQuotas(edition="1405", per_district=3))
    before = snapshot(system)

    for event in (backwards, unopened, quotas):
        asyncio.run(publish_event(system.amqp_url, event))

    for event in (backwards, unopened, quotas):
        wait_for(lambda event=event: applied(system, event))
    assert snapshot(system) == before
    assert httpx.get(url(system, "/editions/1398")).status_code == 404
    assert httpx.get(f"{system.url('submissions')}/health/ready").status_code == 200
