"""The festival as its people run it (issue 12, items 6-8), through the running registry: decisions that only
inform leave nothing pending and raise no alarm; an overdue decision's thread is one ledger query; a district's
shortcomings reach the city report with its overdue decisions; the council replaces the festival secretary."""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from shared.persian import format_jalali_date
from tests.support.personas import persona_token
from tests.support.system import ADMIN_USERNAME, STAFF_PASSWORD, System, bearer
from tests.support.waiting import wait_for

DISTRICT = 21  # no other registry test addresses it, so its counts are this module's


def call(system: System, method: str, path: str, token: str, body: dict | None = None, **params) -> httpx.Response:
    """One request to the registry as someone."""
    return httpx.request(method, f"{system.url('registry')}{path}", json=body, params=params or None,
                         headers=bearer(token), timeout=30)


def notice(**overrides) -> dict:
    """A council notice to the module's district, acknowledgement due in a few seconds."""
    deadline = (datetime.now(UTC) + timedelta(seconds=3)).isoformat()
    return {"title": "اطلاعیه آزمون", "text": "متن اطلاعیه", "issuing_body": "policy-council", "kind": "notice",
            "districts": [DISTRICT], "ack_deadline_at": deadline, **overrides}


@pytest.fixture(scope="module")
def tokens(system: System) -> dict:
    """The council chair, a central secretariat staff member, the district's staff and secretary."""
    return {"chair": persona_token(system, "council.chair"), "central": persona_token(system, "central.staff"),
            "staff": system.district_staff_token(DISTRICT), "secretary": system.district_secretary_token(DISTRICT)}


def test_an_informing_decision_leaves_nothing_pending_and_the_overdue_thread_is_one_query(
        system: System, tokens: dict) -> None:
    before = call(system, "GET", "/monitoring", tokens["central"]).json()[DISTRICT - 1]["decisions"]
    informs = call(system, "POST", "/decisions", tokens["chair"], notice(requires_acknowledgement=False))
    asks = call(system, "POST", "/decisions", tokens["chair"], notice())
    assert informs.status_code == asks.status_code == 201, informs.text
    assert informs.json()["requires_acknowledgement"] is False and asks.json()["requires_acknowledgement"] is True
    informs_id, asks_id = informs.json()["id"], asks.json()["id"]
    for decision_id in (informs_id, asks_id):
        assert call(system, "POST", f"/decisions/{decision_id}/relay", tokens["central"], {}).status_code == 200

    # The decision that asks is flagged overdue; by then the one that informs was passed over.
    wait_for(lambda: call(system, "GET", f"/decisions/{asks_id}", tokens["central"]).json()["summary"]["overdue"],
             timeout=30)
    quiet = call(system, "GET", f"/decisions/{informs_id}", tokens["central"]).json()
    assert quiet["requires_acknowledgement"] is False and quiet["summary"]["overdue"] == []
    assert quiet["per_district"][0]["overdue_at"] is None
    after = call(system, "GET", "/monitoring", tokens["central"]).json()[DISTRICT - 1]["decisions"]
    assert after["addressed"] == before["addressed"] + 1 and after["pending"] == before["pending"] + 1
    # Decisions of earlier tests addressed to this district may turn overdue meanwhile too (their deadlines pass
    # while this test waits): the count grows by this one at least; the informing one is checked above directly.
    assert after["overdue"] >= before["overdue"] + 1
    refused = call(system, "POST", f"/decisions/{informs_id}/districts/{DISTRICT}/acknowledge", tokens["staff"], {})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "acknowledgement_not_required"

    thread = wait_for(lambda: (rows := call(system, "GET", "/ledger", tokens["central"],
                                            correlation_id=asks_id).json())
                      and "registry.decision.overdue" in {r["event_type"] for r in rows} and rows, timeout=30)
    assert [r["event_type"] for r in thread] == [
        "registry.decision.issued", "registry.decision.relayed", "registry.decision.overdue"]
    issued = next(r for r in thread if r["event_type"] == "registry.decision.issued")
    assert issued["payload"]["requires_acknowledgement"] is True


def test_a_districts_shortcomings_and_overdue_decisions_reach_the_city_report(system: System, tokens: dict) -> None:
    overdue = call(system, "POST", "/decisions", tokens["chair"], notice())
    decision_id = overdue.json()["id"]
    assert call(system, "POST", f"/decisions/{decision_id}/relay", tokens["central"], {}).status_code == 200
    wait_for(lambda: call(system, "GET", f"/decisions/{decision_id}", tokens["central"]).json()["summary"]["overdue"],
             timeout=30)

    today = format_jalali_date(datetime.now(UTC), persian_digits=False)
    gap = {"what": "سالن برگزاری کارگاه", "since": "1405/07/01", "needed": "اجاره سالن تا پایان آبان"}
    body = {"period_start": today, "period_end": today, "shortcomings": "", "shortcoming_items": [gap]}
    count = "SELECT count(*) FROM reports WHERE district = $1"
    reports_before = asyncio.run(system.fetchval("registry", count, DISTRICT))
    bad = call(system, "POST", f"/districts/{DISTRICT}/reports", tokens["secretary"],
               {**body, "shortcoming_items": [gap, {**gap, "since": "1405/13/40"}]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_shortcoming_date"
    assert bad.json()["error"]["details"] == {"row": 1}
    assert asyncio.run(system.fetchval("registry", count, DISTRICT)) == reports_before
    too_many = call(system, "POST", f"/districts/{DISTRICT}/reports", tokens["secretary"],
                    {**body, "shortcoming_items": [gap] * 21})
    assert too_many.status_code == 422

    filed = call(system, "POST", f"/districts/{DISTRICT}/reports", tokens["secretary"], body)
    assert filed.status_code == 201, filed.text
    assert filed.json()["shortcoming_items"] == [{**gap, "since": "2026-09-23", "since_jalali": "1405-07-01"}]
    event = wait_for(lambda: call(system, "GET", "/ledger", tokens["central"], event_type="registry.report.filed",
                                  district=DISTRICT).json(), timeout=30)
    assert {"what": gap["what"], "since": "2026-09-23", "needed": gap["needed"]} in event[-1]["payload"][
        "shortcomings"]

    city = call(system, "POST", "/city-reports", tokens["central"],
                {"period_start": today, "period_end": today})
    assert city.status_code == 201, city.text
    row = city.json()["figures"]["districts"][DISTRICT - 1]
    assert row["report_id"] == filed.json()["id"] and row["figures"] == filed.json()["figures"]
    assert decision_id in {d["decision_id"] for d in row["overdue_decisions"]}
    assert row["shortcomings"] == [{**gap, "since": "2026-09-23", "since_jalali": "1405/07/01"}]


def test_the_council_replaces_the_festival_secretary_who_names_the_central_secretariats_head(
        system: System, tokens: dict) -> None:
    old = system.token()
    old_person = str(asyncio.run(system.fetchval(
        "registry", "SELECT person_id FROM accounts WHERE username = $1", ADMIN_USERNAME)))
    made = call(system, "POST", "/accounts", old, {"username": "festival.next", "password": STAFF_PASSWORD,
                                                   "name": "دبیر تازه جشنواره"})
    assert made.status_code == 201, made.text
    new_person = made.json()["person_id"]
    path = "/bodies/festival-secretary/holders/secretary"
    member = persona_token(system, "council.member")
    for who, role, code in ((member, "secretary", "forbidden"), (old, "secretary", "forbidden"),
                            (tokens["chair"], "member", "not_a_head_role")):
        refused = call(system, "PUT", f"/bodies/festival-secretary/holders/{role}", who, {"person_id": new_person})
        assert refused.json()["error"]["code"] == code, refused.text

    # One festival secretary at a time: the council replaces them by a hand-over, never seats a second beside them.
    second = call(system, "POST", "/bodies/festival-secretary/members", tokens["chair"],
                  {"person_id": new_person, "role": "secretary"})
    assert second.status_code == 409 and second.json()["error"]["code"] == "office_held", second.text
    try:
        handed = call(system, "PUT", path, tokens["chair"], {"person_id": new_person})
        assert handed.status_code == 200, handed.text
        assert handed.json()["replaced"] == [old_person]
        cut_off = call(system, "POST", "/people", old, {"name": "شخص تازه"})
        assert cut_off.status_code == 401 and cut_off.json()["error"]["code"] == "access_revoked"
        members = call(system, "GET", "/bodies/festival-secretary/members", tokens["central"]).json()
        assert [m["person_id"] for m in members] == [new_person]

        successor = system.token("festival.next", STAFF_PASSWORD)
        assert call(system, "POST", "/auth/keys/rotate", successor).status_code == 200
        account = call(system, "POST", "/accounts", successor, {"username": "central.head", "password": STAFF_PASSWORD,
                                                                "name": "رئیس دبیرخانه مرکزی"})
        assert account.status_code == 201, account.text
        assert call(system, "PUT", "/bodies/central-secretariat/holders/chair", tokens["chair"],
                    {"person_id": account.json()["person_id"]}).status_code == 403
        head = call(system, "PUT", "/bodies/central-secretariat/holders/chair", successor,
                    {"person_id": account.json()["person_id"]})
        assert head.status_code == 200, head.text
        heads = [m for m in call(system, "GET", "/bodies/central-secretariat/members", successor).json()
                 if m["role"] == "chair"]
        assert [m["person_id"] for m in heads] == [account.json()["person_id"]]
    finally:  # the other modules' festival secretary is the first one: the council hands the office back
        back = call(system, "PUT", path, tokens["chair"], {"person_id": old_person})
        assert back.status_code == 200, back.text
    assert call(system, "POST", "/people", system.token(), {"name": "شخص تازه"}).status_code == 201
