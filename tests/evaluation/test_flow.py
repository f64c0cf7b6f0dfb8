"""Evaluation end to end over HTTP and the bus: a district round, the jury, awards, published results."""

import asyncio
import uuid

import httpx
import jwt
import pytest

from shared.contracts.submissions import WorkChanged, WorkReceived
from tests.support.bus import publish_event
from tests.support.evaluation import appoint_account, council_decides, evaluation, projected
from tests.support.system import System, bearer
from tests.support.waiting import wait_for

DISTRICT, CATEGORY, EDITION = 15, "welfare", "1405"
WORKS = 12










def documents_attached(work: WorkReceived, documents: int = 1) -> WorkChanged:
    """What submissions publishes when a document is attached to a work."""
    return WorkChanged(work_id=work.work_id, edition=work.edition, district=work.district,
                       neighbourhood=work.neighbourhood, category=work.category, title=work.title,
                       changed=["documents"], submitter_name=work.submitter_name,
                       submitter_mobile=work.submitter_mobile, documents=documents)


def score_everything(system: System, round_id: str, tokens: list[str], judge) -> None:
    """Each evaluator submits a full sheet for each assigned work; `judge(evaluator_index, title)` gives a score."""
    for index, token in enumerate(tokens):
        for work in evaluation(system, "GET", f"/rounds/{round_id}/my-works", token).json():
            score = judge(index, work["title"])
            response = evaluation(system, "PUT", f"/rounds/{round_id}/works/{work['work_id']}/sheet", token, {
                "scores": {c: score for c in ("innovation", "social_impact", "sustainability", "participation",
                                              "feasibility")}, "comment": "بررسی شد", "submit": True})
            assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def people(system: System) -> dict:
    """District 15's committee evaluators (one of whom submitted a work), the jury (its jurors, its secretary and
    its chair), and the managers."""
    secretary = system.district_secretary_token(DISTRICT)
    committee = [appoint_account(system, secretary, f"eval.d15.{i}", f"district-15-{body}", "member",
                                 f"0912555000{i}")
                 for i, body in enumerate(["executive", "executive", "scientific", "young-citizens"])]
    admin = system.token()
    jury = [appoint_account(system, admin, f"juror.{i}", "jury", "juror", f"0912666000{i}") for i in range(4)]
    # Juror 0 also sits in district 15's secretariat: at tier 2 they must never judge district 15's works.
    juror_zero = jwt.decode(jury[0], options={"verify_signature": False})["sub"]
    httpx.post(f"{system.url('registry')}/bodies/district-15/members", headers=bearer(secretary),
               json={"person_id": juror_zero, "role": "staff"})
    # The jury's secretary and chair run it and judge nothing (they hold no juror role).
    officers = [jwt.decode(appoint_account(system, admin, f"jury.{role}.flow", "jury", role, f"0912666100{i}"),
                           options={"verify_signature": False})["sub"] for i, role in enumerate(("secretary", "chair"))]
    return {"secretary": secretary, "committee": committee, "jury": jury, "admin": admin, "officers": officers,
            "central": system.account_token("staff.central", "central-secretariat", "staff")}


def test_a_district_round_advances_exactly_the_quota_and_the_jury_proposes_awards(system: System, people: dict) -> None:
    council_decides(system, {"action": "set_quotas", "edition": EDITION, "per_district": 3,
                             "exceptions": {str(DISTRICT): 4}})
    works = [WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=DISTRICT,
                          neighbourhood="نازی آباد", category=CATEGORY, title=f"اثر {i:02d}",
                          submitter_name="شهروند", submitter_national_id="0499370899",
                          submitter_mobile="09125550000" if i == 0 else f"0935{i:07d}") for i in range(WORKS)]
    for work in works:
        asyncio.run(publish_event(system.amqp_url, work))
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE district = $1", DISTRICT) == WORKS)
    wait_for(lambda: projected(system, "SELECT count(*) FROM memberships WHERE active") >= 11)
    wait_for(lambda: projected(system, "SELECT count(*) FROM quotas") == 1)

    opened = evaluation(system, "POST", "/rounds", people["secretary"],
                        {"edition": EDITION, "tier": 1, "district": DISTRICT, "category": CATEGORY, "k": 3})
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["id"]
    assert opened.json()["quota"] == 4
    own = evaluation(system, "GET", f"/rounds/{round_id}/my-works", people["committee"][0]).json()
    assert str(works[0].work_id) not in {w["work_id"] for w in own}  # never their own submission

    early = evaluation(system, "POST", f"/rounds/{round_id}/close", people["secretary"])
    assert early.status_code == 409 and early.json()["error"]["code"] == "sheets_missing"
    score_everything(system, round_id, people["committee"], lambda _, title: int(title[-2:]) % 11)
    preview = evaluation(system, "GET", f"/rounds/{round_id}/ranking", people["secretary"]).json()
    closed = evaluation(system, "POST", f"/rounds/{round_id}/close", people["secretary"])
    assert closed.status_code == 200, closed.text
    assert len(closed.json()["advanced"]) == 4
    final = evaluation(system, "GET", f"/rounds/{round_id}/ranking", people["secretary"]).json()
    assert final == preview  # recomputing from the stored sheets gives the same ranking
    assert {"rank", "reason", "raw_by_criterion", "normalised_by_criterion"} <= set(final[0])
    assert [w["advanced"] for w in final] == [True] * 4 + [False] * (WORKS - 4)
    frozen = evaluation(system, "PUT", f"/rounds/{round_id}/works/{own[0]['work_id']}/sheet",
                        people["committee"][0], {"scores": {}, "submit": False})
    assert frozen.status_code == 409 and frozen.json()["error"]["code"] == "round_closed"

    advanced = closed.json()["advanced"]
    by_id = {str(w.work_id): w for w in works}
    for work_id in advanced[1:]:
        asyncio.run(publish_event(system.amqp_url, documents_attached(by_id[work_id])))
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE district = $1 AND documents > 0",
                               DISTRICT) == 3)
    incomplete = evaluation(system, "POST", "/receipts", people["central"], {"edition": EDITION, "category": CATEGORY})
    assert incomplete.status_code == 409 and incomplete.json()["error"]["code"] == "documents_missing"
    assert incomplete.json()["error"]["details"] == {"work_ids": [advanced[0]]}
    assert projected(system, "SELECT count(*) FROM receipts WHERE edition = $1", EDITION) == 0  # nothing changed
    assert projected(system, "SELECT count(*) FROM works WHERE district = $1 AND status = 'selected_by_district'",
                     DISTRICT) == 4
    asyncio.run(publish_event(system.amqp_url, documents_attached(by_id[advanced[0]])))
    wait_for(lambda: projected(system, "SELECT documents FROM works WHERE work_id = $1", uuid.UUID(advanced[0])))
    assert evaluation(system, "POST", "/receipts", people["central"],
                      {"edition": EDITION, "category": CATEGORY}).json() == {"works": 4}
    again = evaluation(system, "POST", "/receipts", people["central"], {"edition": EDITION, "category": CATEGORY})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_received"
    jury_round = evaluation(system, "POST", "/rounds", people["central"],
                            {"edition": EDITION, "tier": 2, "category": CATEGORY, "k": 3})
    assert jury_round.status_code == 201, jury_round.text
    tier2 = jury_round.json()["id"]
    assert evaluation(system, "GET", f"/rounds/{tier2}/my-works", people["jury"][0]).json() == []
    assert projected(system, "SELECT count(*) FROM assignments WHERE round_id = $1 AND evaluator_id = ANY($2)",
                     uuid.UUID(tier2), [uuid.UUID(o) for o in people["officers"]]) == 0
    score_everything(system, tier2, people["jury"][1:], lambda judge, title: 10 - int(title[-2:]) % 7)
    assert evaluation(system, "POST", f"/rounds/{tier2}/close", people["central"]).status_code == 200

    # Before approving, the council reads what it signs: each proposed award with its score and explanation.
    chair = system.account_token("chair.council", "policy-council", "chair")
    proposals = evaluation(system, "GET", f"/proposals/{EDITION}", chair)
    assert proposals.status_code == 200, proposals.text
    [proposal] = proposals.json()
    assert proposal["category"] == CATEGORY and proposal["published_at"] is None
    assert [a["place"] for a in proposal["awards"]] == ["first", "second", "third", "honourable_mention"]
    first = proposal["awards"][0]
    assert first["district"] == DISTRICT and first["title"].startswith("اثر ") and first["score"] is not None
    assert {"rank", "reason", "raw_by_criterion", "sheets"} <= set(first["explanation"])
    assert not [p for p in ("0499370899", "شهروند", *(w.submitter_mobile for w in works))
                if p in proposals.text]  # nothing of the submitters
    staff = system.account_token("staff.d15.flow", "district-15", "staff")
    refused = evaluation(system, "GET", f"/proposals/{EDITION}", staff)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert httpx.get(f"{system.url('evaluation')}/results/{EDITION}").json() == []
    council_decides(system, {"action": "approve_results", "edition": EDITION})
    results = wait_for(lambda: httpx.get(f"{system.url('evaluation')}/results/{EDITION}").json())
    assert [a["place"] for a in results[0]["awards"]] == ["first", "second", "third", "honourable_mention"]
    public = wait_for(lambda: [e for e in httpx.get(f"{system.url('registry')}/public-events",
                                                    params={"limit": 1000}).json()["events"]
                               if e["event_type"] == "evaluation.results.published"])
    assert public[-1]["payload"]["awards"][0]["work_id"] == results[0]["awards"][0]["work_id"]
    assert results[0]["awards"][0]["work_id"] == first["work_id"]  # what the council read is what it published
    read_after = evaluation(system, "GET", f"/proposals/{EDITION}", chair).json()
    assert read_after[0]["published_at"] is not None


def test_only_the_districts_secretary_manages_its_rounds_and_evaluators_see_only_their_works(
        system: System, people: dict) -> None:
    other = system.district_secretary_token(3)
    refused = evaluation(system, "POST", "/rounds", other,
                         {"edition": EDITION, "tier": 1, "district": DISTRICT, "category": CATEGORY})
    assert refused.status_code == 403
    assert evaluation(system, "POST", "/rounds", people["secretary"],
                      {"edition": EDITION, "tier": 2, "category": CATEGORY}).status_code == 403
    mismatch = evaluation(system, "POST", "/rounds", people["secretary"],
                          {"edition": EDITION, "tier": 1, "category": CATEGORY})
    assert mismatch.status_code == 422 and mismatch.json()["error"]["code"] == "district_mismatch"
    assert evaluation(system, "POST", "/receipts", people["secretary"],
                      {"edition": EDITION, "category": CATEGORY}).status_code == 403


def test_a_declared_conflict_hands_the_work_to_another_evaluator_and_reopening_is_recorded(system: System) -> None:
    district = 16
    secretary = system.district_secretary_token(district)
    committee = [appoint_account(system, secretary, f"eval.d16.{i}", "district-16-scientific", "member",
                                 f"0912777000{i}") for i in range(4)]
    works = [WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=district,
                          neighbourhood="محله", category="participation", title=f"طرح {i:02d}",
                          submitter_name="شهروند", submitter_national_id="0499370899",
                          submitter_mobile=f"0936{i:07d}") for i in range(3)]
    for work in works:
        asyncio.run(publish_event(system.amqp_url, work))
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE district = $1", district) == 3)
    wait_for(lambda: projected(system, "SELECT count(*) FROM memberships WHERE active AND district = $1",
                               district) >= 4)
    round_id = evaluation(system, "POST", "/rounds", secretary, {"edition": EDITION, "tier": 1, "district": district,
                                                                 "category": "participation", "k": 3}).json()["id"]
    mine = evaluation(system, "GET", f"/rounds/{round_id}/my-works", committee[0]).json()
    work_id = mine[0]["work_id"]

    declared = evaluation(system, "POST", f"/rounds/{round_id}/works/{work_id}/conflict", committee[0],
                          {"reason": "همسایهٔ دیوار به دیوار ارسال‌کننده هستم"})

    assert declared.status_code == 200 and declared.json()["replaced_by"] is not None
    assert work_id not in {w["work_id"] for w in evaluation(system, "GET", f"/rounds/{round_id}/my-works",
                                                            committee[0]).json()}
    assert projected(system, "SELECT count(*) FROM assignments WHERE round_id = $1 AND work_id = $2",
                     uuid.UUID(round_id), uuid.UUID(work_id)) == 3
    out_of_range = evaluation(system, "PUT", f"/rounds/{round_id}/works/{mine[-1]['work_id']}/sheet", committee[0],
                              {"scores": {"innovation": 11}, "submit": False})
    if mine[-1]["work_id"] != work_id:
        assert out_of_range.json()["error"]["code"] == "score_out_of_range"
    score_everything(system, round_id, committee, lambda judge, title: 3 + judge)
    assert evaluation(system, "POST", f"/rounds/{round_id}/close", secretary).status_code == 200
    assert evaluation(system, "POST", f"/rounds/{round_id}/reopen", secretary, {"reason": "x" * 5}).status_code == 403
    reopened = evaluation(system, "POST", f"/rounds/{round_id}/reopen", system.token(),
                          {"reason": "اعتراض منطقه به یک برگه"})
    assert reopened.status_code == 200 and reopened.json()["reopenings"] == 1
