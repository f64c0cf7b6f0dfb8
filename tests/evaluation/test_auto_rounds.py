"""Tier-1 rounds open by themselves when an edition's call closes: one per district and category with works of
the edition, staffed from the district's committees (a round short of evaluators still opens and says so), a
round opened by hand is kept, and a redelivered or repeated call-closed event opens nothing twice. Documents
attached at submissions reach evaluation's projection of the work.

Editions 1377 and 1376 and districts 18-19 are used by no other test."""

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from shared.contracts.submissions import CallClosed
from tests.support.bus import publish_event
from tests.support.evaluation import appoint_account, council_decides, evaluation, projected
from tests.support.files import PDF
from tests.support.submissions import count, ensure_open_call, national_id, wait_for_neighbourhoods, work_body
from tests.support.system import System, bearer
from tests.support.waiting import wait_for

EDITION, BY_DECISION = "1377", "1376"
HOODS = {18: "شهید رجایی", 19: "نعمت آباد"}
OWN_MOBILE = "09121880000"  # committee member 0 of district 18 submitted a work with this mobile


def submit(system: System, district: int, category: str, edition: str, **overrides) -> dict:
    """A work received at submissions over HTTP by the district's staff."""
    # work_body knows neighbourhoods of the districts other tests use only: name ours here.
    body = {**work_body(edition=edition), "district": district, "neighbourhood": HOODS[district],
            "category": category, **overrides}
    response = httpx.post(f"{system.url('submissions')}/works", json=body,
                          headers=bearer(system.district_staff_token(district)), timeout=30)
    assert response.status_code == 201, response.text
    return response.json()


def rounds_of(system: System, token: str, edition: str) -> dict[tuple[int, str], dict]:
    """The edition's rounds the caller manages, by (district, category)."""
    return {(r["district"], r["category"]): r for r in evaluation(system, "GET", "/rounds", token).json()
            if r["edition"] == edition}


@pytest.fixture(scope="module")
def committees(system: System) -> dict:
    """District 18: four committee members (member 0 also submits a work); district 19: a single one."""
    wait_for_neighbourhoods(system)
    d18, d19 = system.district_secretary_token(18), system.district_secretary_token(19)
    members = [appoint_account(system, d18, f"eval.d18.{i}", f"district-18-{body}", "member", f"0912188000{i}")
               for i, body in enumerate(["executive", "executive", "scientific", "young-citizens"])]
    lone = appoint_account(system, d19, "eval.d19.0", "district-19-scientific", "member", "09121990000")
    for district, expected in ((18, 4), (19, 1)):
        wait_for(lambda d=district, n=expected: projected(
            system, "SELECT count(*) FROM memberships WHERE active AND district = $1 AND body_kind LIKE "
                    "'%_committee'", d) >= n)
    return {"d18": d18, "d19": d19, "members": members, "lone": lone}


@pytest.fixture(scope="module")
def works(system: System, committees: dict) -> dict[str, list[dict]]:
    """Edition 1377's works, received over HTTP while its call is open."""
    ensure_open_call(system, EDITION)
    made = {"d18_welfare": [submit(system, 18, "welfare", EDITION, submitter={
                "name": "عضو کمیته", "national_id": national_id(), "mobile": OWN_MOBILE})]
            + [submit(system, 18, "welfare", EDITION) for _ in range(2)],
            "d18_entrepreneurship": [submit(system, 18, "entrepreneurship", EDITION)],
            "d19_welfare": [submit(system, 19, "welfare", EDITION) for _ in range(2)],
            "d19_participation": [submit(system, 19, "participation", EDITION)]}
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE edition = $1", EDITION) == 7)
    return made


def test_document_counts_reach_evaluations_projection_of_the_work(system: System, works: dict) -> None:
    staff = bearer(system.district_staff_token(18))
    first, second = works["d18_welfare"][1], works["d18_welfare"][2]
    base = f"{system.url('submissions')}/works"
    for work in (first, second, second):
        response = httpx.post(f"{base}/{work['id']}/documents", headers=staff,
                              files={"file": ("report.pdf", PDF, "application/pdf")}, timeout=30)
        assert response.status_code == 201, response.text
    document = httpx.get(f"{base}/{first['id']}/documents", headers=staff).json()[0]
    assert httpx.delete(f"{base}/{first['id']}/documents/{document['id']}", headers=staff).status_code == 204

    def documents(work: dict) -> int:
        return projected(system, "SELECT documents FROM works WHERE work_id = $1", uuid.UUID(work["id"]))

    wait_for(lambda: documents(second) == 2 and projected(
        system, "SELECT documents_at IS NOT NULL FROM works WHERE work_id = $1", uuid.UUID(first["id"])))
    wait_for(lambda: documents(first) == 0)  # attached then removed: the newer count wins
    assert documents(works["d18_welfare"][0]) == 0


def test_closing_the_call_opens_each_districts_rounds_staffed_from_its_committees(
        system: System, committees: dict, works: dict) -> None:
    by_hand = evaluation(system, "POST", "/rounds", committees["d19"], {
        "edition": EDITION, "tier": 1, "district": 19, "category": "participation", "k": 1})
    assert by_hand.status_code == 201, by_hand.text

    closed = httpx.post(f"{system.url('submissions')}/editions/{EDITION}/call/close",
                        headers=bearer(system.token()), timeout=30)

    assert closed.status_code == 200, closed.text
    wait_for(lambda: projected(system, "SELECT count(*) FROM rounds WHERE edition = $1", EDITION) == 4)
    d18 = rounds_of(system, committees["d18"], EDITION)
    assert set(d18) == {(18, "welfare"), (18, "entrepreneurship")}
    assert all(r["state"] == "open" and r["k"] == 3 and r["short"] == {} for r in d18.values())
    seen: dict[str, int] = {}
    for index, token in enumerate(committees["members"]):
        mine = [w["work_id"] for w in evaluation(system, "GET", f"/rounds/{d18[18, 'welfare']['id']}/my-works",
                                                 token).json()]
        if index == 0:
            assert works["d18_welfare"][0]["id"] not in mine  # never their own submission
        for work_id in mine:
            seen[work_id] = seen.get(work_id, 0) + 1
    assert seen == {w["id"]: 3 for w in works["d18_welfare"]}

    d19 = rounds_of(system, committees["d19"], EDITION)
    assert d19[19, "welfare"]["short"] == {w["id"]: 2 for w in works["d19_welfare"]}  # opened, and says so
    assert d19[19, "participation"]["id"] == by_hand.json()["id"]  # the round opened by hand is kept
    assert projected(system, "SELECT count(*) FROM rounds WHERE edition = $1 AND opened_by LIKE 'call-closed:%' "
                             "AND deadline IS NOT NULL", EDITION) == 3
    short_close = evaluation(system, "POST", f"/rounds/{d19[19, 'welfare']['id']}/close", committees["d19"])
    assert short_close.status_code == 409 and short_close.json()["error"]["code"] == "sheets_missing"
    assert set(short_close.json()["error"]["details"]["works_lacking_evaluators"]) == {
        w["id"] for w in works["d19_welfare"]}
    wait_for(lambda: count(system, "SELECT count(*) FROM works WHERE edition = $1 AND status = "
                                   "'in_district_evaluation'", EDITION) == 7)  # submissions followed the rounds


def test_a_redelivered_or_repeated_call_closed_opens_nothing_twice(system: System, works: dict) -> None:
    wait_for(lambda: projected(system, "SELECT count(*) FROM rounds WHERE edition = $1", EDITION) == 4)
    payload = count(system, "SELECT payload::text FROM outbox WHERE event_type = 'submissions.call.closed' "
                            "AND exchange = 'hami.internal' AND payload->>'edition' = $1", EDITION)
    original = CallClosed.model_validate_json(payload)
    repeated = original.model_copy(update={"event_id": uuid.uuid4()})
    opened = "SELECT count(*) FROM outbox WHERE event_type = 'evaluation.round.opened' AND payload->>'edition' = $1"
    before = projected(system, opened, EDITION)

    asyncio.run(publish_event(system.amqp_url, original))
    asyncio.run(publish_event(system.amqp_url, repeated))

    wait_for(lambda: projected(system, "SELECT count(*) FROM inbox WHERE message_id = $1", str(repeated.event_id)))
    time.sleep(1)  # the redelivered copy of the original, if it were applied, would be by now
    assert projected(system, "SELECT count(*) FROM rounds WHERE edition = $1", EDITION) == 4
    assert projected(system, opened, EDITION) == before
    assert projected(system, "SELECT count(*) FROM inbox WHERE message_id = $1", str(original.event_id)) == 1


def test_committee_members_appointed_later_take_the_works_a_round_lacked(
        system: System, committees: dict, works: dict) -> None:
    wait_for(lambda: projected(system, "SELECT count(*) FROM rounds WHERE edition = $1", EDITION) == 4)
    round_id = rounds_of(system, committees["d19"], EDITION)[19, "welfare"]["id"]

    more = [appoint_account(system, committees["d19"], f"eval.d19.{i}", f"district-19-{body}", "member",
                            f"0912199000{i}") for i, body in ((1, "executive"), (2, "young-citizens"))]

    wait_for(lambda: rounds_of(system, committees["d19"], EDITION)[19, "welfare"]["short"] == {})
    expected = {w["id"] for w in works["d19_welfare"]}
    for token in (committees["lone"], *more):
        mine = evaluation(system, "GET", f"/rounds/{round_id}/my-works", token).json()
        assert {w["work_id"] for w in mine} == expected
    assert projected(system, "SELECT count(*) FROM assignments WHERE round_id = $1", uuid.UUID(round_id)) == 6


def test_a_council_decision_closing_the_call_opens_the_rounds_too(system: System, committees: dict) -> None:
    ensure_open_call(system, BY_DECISION)
    received = [submit(system, 18, "participation", BY_DECISION) for _ in range(2)]
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE edition = $1", BY_DECISION) == 2)

    council_decides(system, {"action": "close_call", "edition": BY_DECISION})

    wait_for(lambda: projected(system, "SELECT count(*) FROM rounds WHERE edition = $1", BY_DECISION) == 1, 60)
    round_ = rounds_of(system, committees["d18"], BY_DECISION)[18, "participation"]
    assert round_["short"] == {} and round_["state"] == "open"
    assigned = {m: [w["work_id"] for w in evaluation(system, "GET", f"/rounds/{round_['id']}/my-works", m).json()]
                for m in committees["members"]}
    assert sorted(w for ws in assigned.values() for w in ws) == sorted([w["id"] for w in received] * 3)
    assert projected(system, "SELECT count(*) FROM works WHERE edition = $1 AND status = 'in_tier1'",
                     BY_DECISION) == 2


def test_edits_before_the_close_reach_evaluation_so_the_work_is_judged_where_it_now_belongs(
        system: System, committees: dict) -> None:
    ensure_open_call(system, "1378")
    work = submit(system, 18, "welfare", "1378")
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE work_id = $1", uuid.UUID(work["id"])))

    edited = httpx.patch(f"{system.url('submissions')}/works/{work['id']}", timeout=30,
                         headers=bearer(system.district_staff_token(18)),
                         json={"category": "participation", "title": "باغچهٔ مشترک بام مدرسه"})

    assert edited.status_code == 200, edited.text
    wait_for(lambda: projected(system, "SELECT category || '|' || title FROM works WHERE work_id = $1",
                               uuid.UUID(work["id"])) == "participation|باغچهٔ مشترک بام مدرسه")
    httpx.post(f"{system.url('submissions')}/editions/1378/call/close", headers=bearer(system.token()), timeout=30)
    opened = wait_for(lambda: rounds_of(system, committees["d18"], "1378"))
    assert list(opened) == [(18, "participation")]


def test_racing_secretaries_open_one_round_per_scope(system: System, committees: dict) -> None:
    ensure_open_call(system, "1379")
    work = submit(system, 18, "entrepreneurship", "1379")
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE work_id = $1", uuid.UUID(work["id"])))
    body = {"edition": "1379", "tier": 1, "district": 18, "category": "entrepreneurship", "k": 3}

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: evaluation(system, "POST", "/rounds", committees["d18"], body), range(4)))

    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [a.text for a in answers]
    assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} <= {"round_exists", "no_works"}
    assert projected(system, "SELECT count(*) FROM rounds WHERE edition = '1379'") == 1
