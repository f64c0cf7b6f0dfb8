"""Decisions flow down: issued by the council, relayed per district, acknowledged, one district overdue."""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.support.system import STAFF_PASSWORD, System, bearer
from tests.support.waiting import wait_for

OPEN_CALL = {"action": "open_call", "edition": "1399",  # not the edition other tests submit to
             "categories": {"welfare": "رفاه و خدمات اجتماعی"},
             "opens_at": "2026-01-01T00:00:00Z", "closes_at": "2027-01-01T00:00:00Z"}


@pytest.fixture(scope="module")
def council(system: System) -> dict:
    """Tokens of the council chair and a central secretariat staff member."""
    return {"chair": system.account_token("chair.council", "policy-council", "chair", "رئیس شورا"),
            "central": system.account_token("staff.central", "central-secretariat", "staff", "کارشناس دبیرخانه")}


def decision(**overrides) -> dict:
    """A decision addressed to every district, acknowledgement due in a few seconds."""
    deadline = (datetime.now(UTC) + timedelta(seconds=6)).isoformat()
    return {"title": "بازگشایی فراخوان جشنواره ۱۴۰۵", "text": "فراخوان آثار از امروز باز است.",
            "issuing_body": "policy-council", "kind": "actionable", "all_districts": True,
            "ack_deadline_at": deadline, "parameters": OPEN_CALL, **overrides}


def post(system: System, path: str, token: str, body: dict | None = None) -> httpx.Response:
    """POST to registry as someone."""
    return httpx.post(f"{system.url('registry')}{path}", json=body or {}, headers=bearer(token), timeout=30)


def count_decisions(system: System) -> int:
    """Decisions stored in the registry."""
    return asyncio.run(system.fetchval("registry", "SELECT count(*) FROM decisions"))


def test_a_decision_acknowledged_by_21_districts_shows_the_22nd_overdue(system: System, council: dict) -> None:
    # An actionable decision informs by default; the council chooses to have this one acknowledged.
    issued = post(system, "/decisions", council["chair"], decision(requires_acknowledgement=True))
    assert issued.status_code == 201, issued.text
    decision_id = issued.json()["id"]
    assert issued.json()["districts"] == list(range(1, 23))

    notes = {str(d): f"یادداشت برای منطقه {d}" for d in range(1, 23)}
    relayed = post(system, f"/decisions/{decision_id}/relay", council["central"], {"notes": notes})
    assert relayed.status_code == 200 and relayed.json()["relayed"] == list(range(1, 23))
    for district in range(1, 22):
        ack = post(system, f"/decisions/{decision_id}/districts/{district}/acknowledge",
                   system.district_staff_token(district), {"note": "دریافت شد"})
        assert ack.status_code == 200, ack.text

    admin = bearer(system.token())
    status = wait_for(lambda: (s := httpx.get(f"{system.url('registry')}/decisions/{decision_id}",
                                              headers=admin).json())["summary"]["overdue"] and s, timeout=30)
    assert status["summary"] == {"counts": {"acknowledged": 21, "relayed": 1}, "overdue": [22]}
    row = status["per_district"][21]
    assert row["district"] == 22 and row["relay_note"] == "یادداشت برای منطقه 22"
    overdue = wait_for(lambda: httpx.get(f"{system.url('registry')}/ledger", headers=admin, params={
        "event_type": "registry.decision.overdue", "correlation_id": None, "district": 22}).json())
    assert [e["payload"]["decision_id"] for e in overdue].count(decision_id) == 1
    story = httpx.get(f"{system.url('registry')}/ledger", headers=admin,
                      params={"correlation_id": decision_id, "limit": 1000}).json()
    kinds = [e["event_type"] for e in story]
    assert kinds.count("registry.decision.issued") == 1
    assert kinds.count("registry.decision.relayed") == 22 and kinds.count("registry.decision.acknowledged") == 21


def test_a_district_marks_a_decision_implemented_only_after_acknowledging(system: System, council: dict) -> None:
    decision_id = post(system, "/decisions", council["chair"], decision(
        all_districts=False, districts=[5], kind="directive", parameters=None)).json()["id"]
    staff = system.district_staff_token(5)
    early = post(system, f"/decisions/{decision_id}/districts/5/acknowledge", staff)
    assert early.status_code == 409 and early.json()["error"]["code"] == "cannot_acknowledge"
    post(system, f"/decisions/{decision_id}/relay", council["central"])
    assert post(system, f"/decisions/{decision_id}/districts/5/acknowledge", staff).status_code == 200
    done = post(system, f"/decisions/{decision_id}/districts/5/implemented", staff, {"note": "برگزار شد"})
    assert done.status_code == 200
    view = httpx.get(f"{system.url('registry')}/decisions/{decision_id}", headers=bearer(staff)).json()
    assert [(r["district"], r["status"], r["implemented_note"]) for r in view["per_district"]] == [
        (5, "implemented", "برگزار شد")]


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"all_districts": False, "districts": [0, 23]}, 422, "invalid_addressees"),
    ({"ack_deadline_at": "2020-01-01T00:00:00Z"}, 422, "deadline_passed"),
    ({"parameters": None}, 422, "parameters_mismatch"),
    ({"kind": "whim"}, 422, "unknown_decision_kind"),
    ({"committees": ["no-such-committee"]}, 422, "unknown_body"),
    ({"issuing_body": "district-07"}, 403, "forbidden"),
    ({"issuing_body": "committee-welfare"}, 403, "forbidden"),  # the chair of the council is not the committee's
    ({"parameters": {**OPEN_CALL, "action": "close_everything"}}, 422, "invalid_input"),
    ({"parameters": {"action": "close_tier", "edition": "1399", "tier": 1, "district": 7}}, 422,
     "action_not_supported"),
    ({"parameters": {"action": "open_tier", "edition": "1399", "tier": 2}}, 422, "action_not_supported"),
])
def test_bad_decisions_are_refused_and_change_nothing(system: System, council: dict, change: dict,
                                                      status: int, code: str) -> None:
    before = count_decisions(system)
    response = post(system, "/decisions", council["chair"], decision(**change))
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message_fa"] and error["message_en"]
    assert count_decisions(system) == before


def test_only_issuers_issue_only_central_relays_and_districts_answer_for_themselves(
        system: System, council: dict) -> None:
    staff7, staff12 = system.district_staff_token(7), system.district_staff_token(12)
    assert post(system, "/decisions", staff7, decision()).status_code == 403
    decision_id = post(system, "/decisions", council["chair"], decision()).json()["id"]
    assert post(system, f"/decisions/{decision_id}/relay", staff7).status_code == 403
    post(system, f"/decisions/{decision_id}/relay", council["central"])
    foreign = post(system, f"/decisions/{decision_id}/districts/7/acknowledge", staff12)
    assert foreign.status_code == 403 and foreign.json()["error"]["code"] == "not_district_staff"
    mine = httpx.get(f"{system.url('registry')}/decisions/{decision_id}", headers=bearer(staff12)).json()
    assert [r["district"] for r in mine["per_district"]] == [12]  # not district 7's row


def test_the_festival_secretary_and_committees_issue_directives_not_actionable_decisions(
        system: System, council: dict) -> None:
    jury_secretary = system.account_token("dabir.davari", "jury", "secretary", "دبیر کمیتهٔ داوری")
    for token, body in ((system.token(), "festival-secretary"), (jury_secretary, "jury")):
        before = count_decisions(system)
        refused = post(system, "/decisions", token, decision(issuing_body=body))
        assert refused.status_code == 403, refused.text
        error = refused.json()["error"]
        assert error["code"] == "not_actionable_issuer" and error["message_fa"] and error["message_en"]
        assert count_decisions(system) == before
        directive = post(system, "/decisions", token, decision(issuing_body=body, kind="directive", parameters=None))
        assert directive.status_code == 201, directive.text

    issued = post(system, "/decisions", council["chair"], decision(all_districts=False, districts=[4]))
    assert issued.status_code == 201
    event = wait_for(lambda: asyncio.run(system.fetchval(
        "registry", "SELECT payload::text FROM ledger WHERE event_type = 'registry.decision.issued' "
        "AND exchange = 'hami.internal' AND payload->>'decision_id' = $1", issued.json()["id"])))
    assert '"issuer_kind": "policy_council"' in event and '"issuer_role": "chair"' in event


def test_a_district_committee_member_reads_the_districts_decisions_but_does_not_answer_them(
        system: System, council: dict) -> None:
    secretary = system.district_secretary_token(6)
    appointed = post(system, "/accounts", secretary, {  # a district committee's members are its secretary's to appoint
        "username": "ozv.ejraei.06", "password": STAFF_PASSWORD, "name": "عضو کمیتهٔ اجرایی",
        "memberships": [{"body": "district-06-executive", "role": "member"}]})
    assert appointed.status_code in (201, 409), appointed.text
    member = system.token("ozv.ejraei.06", STAFF_PASSWORD)
    decision_id = post(system, "/decisions", council["chair"], decision(
        all_districts=False, districts=[6], kind="directive", parameters=None)).json()["id"]
    post(system, f"/decisions/{decision_id}/relay", council["central"])
    read = httpx.get(f"{system.url('registry')}/decisions/{decision_id}", headers=bearer(member))
    assert read.status_code == 200 and [r["district"] for r in read.json()["per_district"]] == [6]
    refused = post(system, f"/decisions/{decision_id}/districts/6/acknowledge", member)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_district_staff"
    assert post(system, f"/decisions/{decision_id}/districts/6/acknowledge", secretary).status_code == 200


def test_a_committee_member_acknowledges_a_decision_for_their_committee_once(system: System, council: dict) -> None:
    secretary = system.district_secretary_token(6)
    for username, body in (("ozv.ejraei.06", "district-06-executive"), ("ozv.elmi.06", "district-06-scientific")):
        appointed = post(system, "/accounts", secretary, {
            "username": username, "password": STAFF_PASSWORD, "name": "عضو کمیته",
            "memberships": [{"body": body, "role": "member"}]})
        assert appointed.status_code in (201, 409), appointed.text
    member, other = system.token("ozv.ejraei.06", STAFF_PASSWORD), system.token("ozv.elmi.06", STAFF_PASSWORD)
    decision_id = post(system, "/decisions", council["chair"], decision(
        all_districts=False, districts=[6], kind="directive", parameters=None,
        committees=["district-06-executive"])).json()["id"]
    path = f"/decisions/{decision_id}/committees/district-06-executive/acknowledge"

    refused = post(system, path, other, {"note": "از کمیتهٔ دیگر"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_committee_member"
    assert refused.json()["error"]["message_fa"]
    acknowledged = post(system, path, member, {"note": "در جلسهٔ کمیته خوانده شد"})
    assert acknowledged.status_code == 200, acknowledged.text
    again = post(system, path, member)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_acknowledged"
    unaddressed = post(system, f"/decisions/{decision_id}/committees/district-06-scientific/acknowledge", other)
    assert unaddressed.status_code == 404

    read = httpx.get(f"{system.url('registry')}/decisions/{decision_id}", headers=bearer(member)).json()
    [row] = read["per_committee"]
    assert row["committee"] == "district-06-executive" and row["ack_note"] == "در جلسهٔ کمیته خوانده شد"
    assert row["acknowledged_at"] is not None and row["acknowledged_by"]
    listed = httpx.get(f"{system.url('registry')}/decisions", params={"committee": "district-06-executive"},
                       headers=bearer(member))
    assert decision_id in [d["id"] for d in listed.json()]
    # The acknowledgement is in the decision's thread: one ledger query by its correlation id.
    thread = asyncio.run(system.fetchval(
        "registry", "SELECT string_agg(event_type, ' ' ORDER BY seq) FROM ledger WHERE correlation_id = $1 "
        "AND exchange = 'hami.internal'", decision_id))
    assert thread.split() == ["registry.decision.issued", "registry.decision.committee_acknowledged"]


def test_a_committee_acknowledges_nothing_of_a_decision_that_only_informs(system: System, council: dict) -> None:
    member = system.account_token("ozv.jury.ack", "jury", "juror", "داور")
    decision_id = post(system, "/decisions", council["chair"], decision(committees=["jury"])).json()["id"]
    refused = post(system, f"/decisions/{decision_id}/committees/jury/acknowledge", member)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "acknowledgement_not_required"
    read = httpx.get(f"{system.url('registry')}/decisions/{decision_id}", headers=bearer(member)).json()
    assert read["per_committee"][0]["acknowledged_at"] is None


def test_a_decisions_deadline_reads_as_its_jalali_day_next_to_the_iso_value(system: System, council: dict) -> None:
    body = {**decision(all_districts=False, districts=[6], kind="directive", parameters=None),
            "ack_deadline": "1406/01/15"}
    del body["ack_deadline_at"]
    issued = post(system, "/decisions", council["chair"], body)
    assert issued.status_code == 201, issued.text
    assert issued.json()["ack_deadline_jalali"] == "1406-01-15"
    assert issued.json()["ack_deadline"].startswith("2027-04-04T20:30:00")  # the end of that day in Tehran
    post(system, f"/decisions/{issued.json()['id']}/relay", council["central"])
    read = httpx.get(f"{system.url('registry')}/decisions/{issued.json()['id']}", headers=bearer(system.token()))
    assert read.json()["ack_deadline_jalali"] == "1406-01-15" and read.json()["issued_at_jalali"].startswith("14")
    [row] = read.json()["per_district"]
    assert row["relayed_at_jalali"].startswith("14") and row["acknowledged_at_jalali"] is None


def test_a_committee_that_does_not_acknowledge_in_time_turns_overdue_once(system: System, council: dict) -> None:
    member = system.account_token("ozv.jury.late", "jury", "juror", "داور")
    decision_id = post(system, "/decisions", council["chair"], decision(
        kind="directive", parameters=None, all_districts=False, districts=[5], committees=["jury"])).json()["id"]
    admin = bearer(system.token())

    row = wait_for(lambda: (r := httpx.get(f"{system.url('registry')}/decisions/{decision_id}", headers=admin)
                            .json()["per_committee"][0])["overdue_at"] and r, timeout=30)
    assert row["committee"] == "jury" and row["acknowledged_at"] is None and row["overdue_at_jalali"]
    thread = asyncio.run(system.fetchval(
        "registry", "SELECT string_agg(payload->>'committee', ' ') FROM outbox WHERE "
        "event_type = 'registry.decision.committee_overdue' AND correlation_id = $1", decision_id))
    assert thread == "jury"  # once, with the decision's correlation id
    late = post(system, f"/decisions/{decision_id}/committees/jury/acknowledge", member)
    assert late.status_code == 200  # late, but still on record
