"""Rounds that finish (issue #12), through the running services: an evaluator who never scores has a work
reassigned by the district's secretary (their draft kept, no longer theirs to score); another's appointment ends
at registry mid-round and their unscored work is handed on at once; the deadline having passed, the secretary
closes with a quorum, the absent evaluator named in the explanation; the results follow.

District 20 and edition 1380 are used by no other test."""

import asyncio
import uuid

import httpx
import jwt
import pytest

from shared.contracts.submissions import WorkReceived
from tests.support.bus import publish_event
from tests.support.evaluation import appoint_account, evaluation, projected
from tests.support.system import System, bearer
from tests.support.waiting import wait_for

DISTRICT, EDITION, CATEGORY = 20, "1380", "welfare"
DEADLINE = "1399/01/01"  # long past: the round may close with a quorum
SCORES = ("innovation", "social_impact", "sustainability", "participation", "feasibility")


def person(token: str) -> str:
    """The person id a token signs in."""
    return jwt.decode(token, options={"verify_signature": False})["sub"]


def live_holders(system: System, round_id: str, work_id: str) -> set[str]:
    """Who holds the work in the round now (ended assignments left out)."""
    text = projected(system, "SELECT coalesce(string_agg(evaluator_id::text, ',' ORDER BY evaluator_id), '') FROM "
                             "assignments WHERE round_id = $1 AND work_id = $2 AND ended_at IS NULL",
                     uuid.UUID(round_id), uuid.UUID(work_id))
    return set(filter(None, str(text).split(",")))


def sheet(system: System, token: str, round_id: str, work_id: str, *, submit: bool, score: int = 6) -> httpx.Response:
    """Save the caller's sheet for a work."""
    return evaluation(system, "PUT", f"/rounds/{round_id}/works/{work_id}/sheet", token,
                      {"scores": dict.fromkeys(SCORES, score), "submit": submit})


@pytest.fixture(scope="module")
def scene(system: System) -> dict:
    """Three committee members, two works of district 20 in a round whose deadline has passed, giving both works
    to all three (k = 3); two more members appointed after it opened."""
    secretary = system.district_secretary_token(DISTRICT)
    members = [appoint_account(system, secretary, f"eval.d20.{i}", f"district-20-{body}", "member",
                               f"0912200000{i}") for i, body in enumerate(["executive", "scientific", "executive"])]
    wait_for(lambda: projected(system, "SELECT count(*) FROM memberships WHERE active AND district = $1",
                               DISTRICT) >= 3)
    works = [WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=DISTRICT,
                          neighbourhood="محله", category=CATEGORY, title=f"طرح {i}", submitter_name="شهروند",
                          submitter_national_id="0499370899", submitter_mobile=f"0936200000{i}", edition=EDITION)
             for i in range(2)]
    for work in works:
        asyncio.run(publish_event(system.amqp_url, work))
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE edition = $1 AND district = $2",
                               EDITION, DISTRICT) == 2)
    opened = evaluation(system, "POST", "/rounds", secretary, {"edition": EDITION, "tier": 1, "district": DISTRICT,
                                                               "category": CATEGORY, "k": 3, "deadline": DEADLINE})
    assert opened.status_code == 201, opened.text
    spares = [appoint_account(system, secretary, f"eval.d20.{i}", "district-20-young-citizens", "member",
                              f"0912200000{i}") for i in (3, 4)]
    wait_for(lambda: projected(system, "SELECT count(*) FROM memberships WHERE active AND district = $1",
                               DISTRICT) >= 5)
    return {"secretary": secretary, "members": members, "spares": spares, "round": opened.json(),
            "works": [str(w.work_id) for w in works]}


def test_a_round_with_an_absent_evaluator_and_a_removed_one_finishes(system: System, scene: dict) -> None:
    round_id, (work, other) = scene["round"]["id"], scene["works"]
    secretary, (absent, leaving, scorer), (taker, other_spare) = scene["secretary"], scene["members"], scene["spares"]
    assert scene["round"]["deadline_jalali"] == "1399-01-01"  # beside the ISO value: the last day, as people read it
    assert sheet(system, absent, round_id, work, submit=False).status_code == 200  # a draft, never submitted
    path = f"/rounds/{round_id}/works/{work}/reassign"
    ask = {"from_person": person(absent), "reason": "داور در دسترس نیست"}

    not_judging = evaluation(system, "POST", path, secretary, {**ask, "to_person": person(secretary)})
    holding = evaluation(system, "POST", path, secretary, {**ask, "to_person": person(leaving)})
    by_member = evaluation(system, "POST", path, leaving, {**ask, "to_person": person(taker)})
    no_reason = evaluation(system, "POST", path, secretary, {"from_person": person(absent), "to_person": person(taker)})
    done = evaluation(system, "POST", path, secretary, {**ask, "to_person": person(taker)})

    assert not_judging.status_code == 409 and not_judging.json()["error"]["code"] == "not_eligible"
    assert holding.status_code == 409 and holding.json()["error"]["code"] == "already_assigned"
    assert by_member.status_code == 403 and no_reason.status_code == 422
    assert done.status_code == 200, done.text
    assert done.json()["to_person"] == person(taker)
    assert live_holders(system, round_id, work) == {person(taker), person(leaving), person(scorer)}
    assert sheet(system, absent, round_id, work, submit=True).status_code == 404  # no longer theirs to score
    assert work in {w["work_id"] for w in evaluation(system, "GET", f"/rounds/{round_id}/my-works", taker).json()}
    assert projected(system, "SELECT state FROM sheets WHERE round_id = $1 AND work_id = $2 AND evaluator_id = $3",
                     uuid.UUID(round_id), uuid.UUID(work), uuid.UUID(person(absent))) == "draft"  # kept on record
    assert projected(system, "SELECT count(*) FROM outbox WHERE event_type = 'evaluation.assignment.made' AND "
                             "payload::jsonb->'evaluator_ids' = $1::jsonb AND payload->>'work_id' = $2",
                     f'["{person(taker)}"]', work) == 1  # the new evaluator is told

    # The second member's appointment ends at registry, after they scored one work and before the other.
    assert sheet(system, leaving, round_id, work, submit=True).status_code == 200
    members = httpx.get(f"{system.url('registry')}/bodies/district-20-scientific/members",
                        headers=bearer(secretary)).json()
    appointment = next(m["appointment_id"] for m in members if m["person_id"] == person(leaving))
    ended = httpx.delete(f"{system.url('registry')}/bodies/district-20-scientific/members/{appointment}",
                         headers=bearer(secretary))
    assert ended.status_code == 204
    wait_for(lambda: person(leaving) not in live_holders(system, round_id, other))
    assert person(leaving) in live_holders(system, round_id, work)  # a submitted sheet stays and counts
    assert live_holders(system, round_id, other) == {person(absent), person(scorer), person(other_spare)}
    assert projected(system, "SELECT ended_reason FROM assignments WHERE round_id = $1 AND work_id = $2 AND "
                             "evaluator_id = $3", uuid.UUID(round_id), uuid.UUID(other),
                     uuid.UUID(person(leaving))) == "appointment ended"

    # Everyone but the absent evaluator scores; the deadline has passed, so the round closes with a quorum.
    for token, work_id in ((scorer, work), (scorer, other), (taker, work), (other_spare, other)):
        assert sheet(system, token, round_id, work_id, submit=True).status_code == 200
    waiting = evaluation(system, "POST", f"/rounds/{round_id}/close", secretary)
    assert waiting.status_code == 409 and waiting.json()["error"]["code"] == "sheets_missing"
    closed = evaluation(system, "POST", f"/rounds/{round_id}/close", secretary, {"quorum": True})
    assert closed.status_code == 200, closed.text
    ranking = {r["work_id"]: r for r in evaluation(system, "GET", f"/rounds/{round_id}/ranking", secretary).json()}
    assert ranking[other]["absent_evaluators"] == [person(absent)] and ranking[other]["sheets"] == 2
    assert ranking[work]["absent_evaluators"] == [] and ranking[work]["sheets"] == 3
    assert all(r["closed_with_quorum"] == 2 for r in ranking.values())
