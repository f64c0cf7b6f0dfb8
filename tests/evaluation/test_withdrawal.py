"""Withdrawn works leave evaluation, end to end through the running services: a work withdrawn at submissions
before its round opens never enters it; one withdrawn while its round is open leaves it (not ranked, not waited
for at the close); one withdrawn after its round closed keeps the closed result and is recorded, not retried.

District 21 and edition 1384 are used by no other test."""

import asyncio
import uuid
from datetime import UTC, datetime

import httpx
import pytest

from shared.contracts.submissions import WorkWithdrawn
from tests.support.bus import publish_event
from tests.support.evaluation import appoint_account, evaluation, projected
from tests.support.submissions import ensure_open_call, wait_for_neighbourhoods, wait_for_status, work_body
from tests.support.system import System, bearer
from tests.support.waiting import wait_for

DISTRICT, EDITION, CATEGORY = 21, "1384", "welfare"
SCORES = ("innovation", "social_impact", "sustainability", "participation", "feasibility")


def submit(system: System) -> dict:
    """A work received at submissions over HTTP by the district's staff."""
    body = {**work_body(edition=EDITION), "district": DISTRICT, "neighbourhood": "پاسداران", "category": CATEGORY}
    response = httpx.post(f"{system.url('submissions')}/works", json=body, timeout=30,
                          headers=bearer(system.district_staff_token(DISTRICT)))
    assert response.status_code == 201, response.text
    return response.json()


def withdraw_at_submissions(system: System, work: dict) -> httpx.Response:
    """The district's staff withdraw a work at submissions."""
    return httpx.post(f"{system.url('submissions')}/works/{work['id']}/withdraw", json={"reason": "انصراف ارسال‌کننده"},
                      headers=bearer(system.district_staff_token(DISTRICT)), timeout=30)


def withdrawn_event(work: dict) -> WorkWithdrawn:
    """What submissions publishes when it accepts a withdrawal."""
    return WorkWithdrawn(work_id=uuid.UUID(work["id"]), edition=EDITION, district=DISTRICT, category=CATEGORY,
                         tracking_code=work["tracking_code"], reason="انصراف ارسال‌کننده",
                         withdrawn_at=datetime.now(UTC), submitter_mobile=work["submitter"]["mobile"])


def status_at_evaluation(system: System, work: dict) -> str:
    """The work's status in evaluation's projection."""
    return projected(system, "SELECT status FROM works WHERE work_id = $1", uuid.UUID(work["id"]))


@pytest.fixture(scope="module")
def committee(system: System) -> list[str]:
    """Two of district 21's committee members."""
    wait_for_neighbourhoods(system)
    secretary = system.district_secretary_token(DISTRICT)
    members = [appoint_account(system, secretary, f"eval.d21.{i}", f"district-21-{body}", "member",
                               f"0912211000{i}") for i, body in enumerate(["executive", "scientific"])]
    wait_for(lambda: projected(system, "SELECT count(*) FROM memberships WHERE active AND district = $1 AND "
                                       "body_kind LIKE '%_committee'", DISTRICT) >= 2)
    return members


def test_withdrawn_works_leave_their_round_and_are_never_ranked(system: System, committee: list[str]) -> None:
    ensure_open_call(system, EDITION)
    early, *rest = [submit(system) for _ in range(4)]
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE edition = $1", EDITION) == 4)

    assert withdraw_at_submissions(system, early).status_code == 200
    wait_for(lambda: status_at_evaluation(system, early) == "withdrawn")
    secretary = system.district_secretary_token(DISTRICT)
    opened = evaluation(system, "POST", "/rounds", secretary,
                        {"edition": EDITION, "tier": 1, "district": DISTRICT, "category": CATEGORY, "k": 2})
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["id"]
    assigned = {w["work_id"] for w in evaluation(system, "GET", f"/rounds/{round_id}/my-works", committee[0]).json()}
    assert assigned == {w["id"] for w in rest}  # the work withdrawn while waiting never entered the round

    leaving, advancing, other = rest
    for token in committee:
        for work, score in ((leaving, 10), (advancing, 8), (other, 3)):
            if token == committee[1] and work is leaving:
                continue  # one sheet of the leaving work is still missing when it is withdrawn
            saved = evaluation(system, "PUT", f"/rounds/{round_id}/works/{work['id']}/sheet", token,
                               {"scores": dict.fromkeys(SCORES, score), "submit": True})
            assert saved.status_code == 200, saved.text
    # Withdrawn at submissions in the middle of its round: evaluation takes the work out.
    wait_for_status(system, leaving["id"], "in_district_evaluation")
    assert withdraw_at_submissions(system, leaving).status_code == 200
    wait_for(lambda: status_at_evaluation(system, leaving) == "withdrawn")

    ranking = evaluation(system, "GET", f"/rounds/{round_id}/ranking", secretary).json()
    assert [r["work_id"] for r in ranking] == [advancing["id"], other["id"]]
    mine = evaluation(system, "GET", f"/rounds/{round_id}/my-works", committee[1]).json()
    assert leaving["id"] not in {w["work_id"] for w in mine}
    closed = evaluation(system, "POST", f"/rounds/{round_id}/close", secretary)
    assert closed.status_code == 200, closed.text  # its missing sheet no longer holds the round open
    assert closed.json()["advanced"] == [advancing["id"], other["id"]]

    late = withdrawn_event(advancing)
    asyncio.run(publish_event(system.amqp_url, late))
    wait_for(lambda: projected(system, "SELECT count(*) FROM inbox WHERE message_id = $1", str(late.event_id)))
    assert projected(system, "SELECT effect FROM withdrawals WHERE work_id = $1",
                     uuid.UUID(advancing["id"])) == "after_round_closed"
    final = evaluation(system, "GET", f"/rounds/{round_id}/ranking", secretary).json()
    assert [(r["work_id"], r["advanced"]) for r in final] == [(advancing["id"], True), (other["id"], True)]
    assert status_at_evaluation(system, advancing) == "withdrawn"  # it goes no further than the closed result
