"""The evaluation moves a work's status, as evaluation's events arrive on the bus: the submitter's public
lookup and the staff's history follow it, and a move the rules refuse changes nothing."""

import asyncio
import uuid

import httpx
import pytest

from shared.contracts.evaluation import (
    Award,
    ResultsPublished,
    RoundOpened,
    WorkAdvanced,
    WorkAssigned,
    WorkNotAdvanced,
)
from tests.support.bus import publish_event
from tests.support.submissions import count, ensure_open_call, wait_for_neighbourhoods, work_body
from tests.support.system import System, bearer
from tests.support.waiting import wait_for

EDITION = "1386"


@pytest.fixture(scope="module")
def works(system: System) -> list[dict]:
    """Four welfare works of district 7 and one of district 3 in the module's edition."""
    wait_for_neighbourhoods(system)
    ensure_open_call(system, EDITION)
    created = []
    for district in (7, 7, 7, 7, 3):
        response = httpx.post(f"{system.url('submissions')}/works", json=work_body(district, edition=EDITION),
                              headers=bearer(system.district_staff_token(district)))
        assert response.status_code == 201, response.text
        created.append(response.json())
    return created


def status(system: System, work: dict) -> str:
    return count(system, "SELECT status FROM works WHERE id = $1", uuid.UUID(work["id"]))


def publish(system: System, *events) -> None:
    for event in events:
        asyncio.run(publish_event(system.amqp_url, event))


def consumed(system: System, event) -> bool:
    return count(system, "SELECT count(*) FROM inbox WHERE message_id = $1", str(event.event_id)) == 1


def test_a_work_follows_the_evaluation_from_district_to_award(system: System, works: list[dict]) -> None:
    winner, loser, unselected, withdrawn, elsewhere = works
    staff = bearer(system.district_staff_token(7))
    assert httpx.post(f"{system.url('submissions')}/works/{withdrawn['id']}/withdraw", headers=staff,
                      json={"reason": "انصراف ارسال‌کننده"}).status_code == 200
    tier1, tier2 = uuid.uuid4(), uuid.uuid4()
    opened = RoundOpened(round_id=tier1, edition=EDITION, tier=1, category="welfare", district=7)

    publish(system, opened, opened)  # a redelivery changes nothing more
    wait_for(lambda: status(system, winner) == "in_district_evaluation")
    assert [status(system, w) for w in works] == ["in_district_evaluation"] * 3 + ["withdrawn", "received"]

    outcome = {"round_id": tier1, "tier": 1, "district": 7, "category": "welfare"}
    late = WorkAssigned(round_id=tier1, work_id=uuid.UUID(withdrawn["id"]), district=7, evaluator_ids=[])
    publish(system, WorkAdvanced(work_id=uuid.UUID(winner["id"]), rank=1, **outcome),
            WorkAdvanced(work_id=uuid.UUID(loser["id"]), rank=2, **outcome),
            WorkNotAdvanced(work_id=uuid.UUID(unselected["id"]), rank=3, **outcome), late)
    wait_for(lambda: consumed(system, late))
    assert [status(system, w) for w in works[:4]] == [
        "selected_by_district", "selected_by_district", "not_selected_by_district", "withdrawn"]

    publish(system, RoundOpened(round_id=tier2, edition=EDITION, tier=2, category="welfare"))
    wait_for(lambda: status(system, loser) == "with_jury")
    results = ResultsPublished(edition=EDITION, category="welfare", awards=[
        Award(work_id=uuid.UUID(winner["id"]), place="first", district=7, title=winner["title"])])
    publish(system, results)
    wait_for(lambda: consumed(system, results))

    assert [status(system, w) for w in works] == [
        "awarded", "not_awarded", "not_selected_by_district", "withdrawn", "received"]
    error = httpx.post(f"{system.url('submissions')}/works/{winner['id']}/withdraw", headers=staff,
                       json={"reason": "دیر است"}).json()["error"]
    assert error["code"] == "outcome_final"  # withdrawal runs until the outcome is final
    history = httpx.get(f"{system.url('submissions')}/works/{winner['id']}/history", headers=staff).json()
    assert [h["status"] for h in history] == ["received", "in_district_evaluation", "selected_by_district",
                                              "with_jury", "awarded"]
    assert {h["actor"] for h in history[1:]} == {"evaluation"}
    tracked = httpx.post(f"{system.url('submissions')}/track", headers={"X-Forwarded-For": "192.0.2.77"},
                         json={"code": winner["tracking_code"], "mobile": winner["submitter"]["mobile"]}).json()
    assert tracked["status"] == "awarded" and tracked["status_fa"] == "برگزیده‌ی جشنواره"
    moved = count(system, "SELECT count(*) FROM outbox WHERE event_type = 'submissions.work.status_changed' "
                          "AND payload->>'work_id' = $1", winner["id"])
    assert moved == 2 * 4  # four moves, each published internally and publicly
