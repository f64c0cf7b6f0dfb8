"""Hostile input never yields a server error in evaluation (issue #11, item 7): NUL bytes and other control
characters in any text (codes, reasons, comments, path parts), integers outside PostgreSQL's range in queries,
dates that are no dates, scores below, above or beyond any range. Each is refused with a stable code, and a refusal
changes nothing.

District 10 and edition 1390 are used by no other test."""

import asyncio
import json
import uuid

import httpx
import pytest

from shared.contracts.submissions import WorkReceived
from tests.support.bus import publish_event
from tests.support.evaluation import appoint_account, evaluation, projected
from tests.support.system import System, bearer
from tests.support.waiting import wait_for

DISTRICT, EDITION, CATEGORY = 10, "1390", "welfare"
SCORES = ("innovation", "social_impact", "sustainability", "participation", "feasibility")


def code(response: httpx.Response) -> str:
    """Status and refusal code, e.g. '422 invalid_input'."""
    assert response.status_code < 500, response.text
    return f"{response.status_code} {response.json()['error']['code']}"


@pytest.fixture(scope="module")
def scene(system: System) -> dict:
    """District 10's secretary, one committee member, and a round that gives the member the district's one work."""
    secretary = system.district_secretary_token(DISTRICT)
    member = appoint_account(system, secretary, "eval.d10.0", "district-10-executive", "member", "09121010000")
    wait_for(lambda: projected(system, "SELECT count(*) FROM memberships WHERE active AND district = $1", DISTRICT))
    work = WorkReceived(work_id=uuid.uuid4(), tracking_code="1234-5678-9012", district=DISTRICT,
                        neighbourhood="محله", category=CATEGORY, title="اثر آزمون ورودی", submitter_name="شهروند",
                        submitter_national_id="0499370899", submitter_mobile="09351010000", edition=EDITION)
    asyncio.run(publish_event(system.amqp_url, work))
    wait_for(lambda: projected(system, "SELECT count(*) FROM works WHERE work_id = $1", work.work_id))
    opened = evaluation(system, "POST", "/rounds", secretary,
                        {"edition": EDITION, "tier": 1, "district": DISTRICT, "category": CATEGORY, "k": 1})
    assert opened.status_code == 201, opened.text
    return {"secretary": secretary, "member": member, "work": str(work.work_id), "round": opened.json()["id"]}


@pytest.mark.parametrize("body", [
    {"category": "wel\x00fare"}, {"category": "welfare\n"}, {"deadline": "1405/13/40"}, {"deadline": "9999/12/29"},
    {"deadline": "1405/01/01\x00"}, {"edition": "1405\n"}, {"k": 10**30}, {"district": 2**63},
], ids=["nul-category", "newline-category", "no-such-date", "date-past-the-calendar", "nul-date",
        "newline-edition", "huge-k", "huge-district"])
def test_a_round_with_hostile_fields_is_refused_as_invalid(system: System, scene: dict, body: dict) -> None:
    request = {"edition": EDITION, "tier": 1, "district": DISTRICT, "category": "participation", **body}

    assert code(evaluation(system, "POST", "/rounds", scene["secretary"], request)) == "422 invalid_input"
    assert projected(system, "SELECT count(*) FROM rounds WHERE edition = $1", EDITION) == 1


@pytest.mark.parametrize("body", [{"edition": "1390\x00", "category": CATEGORY}, {"edition": EDITION,
                                                                                  "category": "\x00"}],
                         ids=["nul-edition", "nul-category"])
def test_a_receipt_with_nul_bytes_is_refused_as_invalid(system: System, body: dict) -> None:
    central = system.account_token("staff.central", "central-secretariat", "staff")

    assert code(evaluation(system, "POST", "/receipts", central, body)) == "422 invalid_input"


@pytest.mark.parametrize("query", ["offset=99999999999999999999", "offset=-1", "limit=0", "limit=99999999999999"])
def test_paging_outside_any_range_is_refused_as_invalid(system: System, scene: dict, query: str) -> None:
    assert code(evaluation(system, "GET", f"/works?{query}", scene["secretary"])) == "422 invalid_input"


@pytest.mark.parametrize("edition", ["%00", "1405%00", "x" * 300])
def test_results_of_an_edition_that_cannot_exist_are_refused_never_a_server_error(system: System,
                                                                                    edition: str) -> None:
    json_answer = httpx.get(f"{system.url('evaluation')}/results/{edition}", timeout=10)
    page = httpx.get(f"{system.url('evaluation')}/festival/results/{edition}", timeout=10)

    # A NUL anywhere in an address is refused before any route (shared/web/guard.py); the rest by the routes.
    assert code(json_answer) in ("422 invalid_input", "422 invalid_characters")
    assert page.status_code == 404 and "پیدا نشد" in page.text or code(page) == "422 invalid_characters"


@pytest.mark.parametrize("raw", [
    '{"scores": {"innovation": -1}}', '{"scores": {"innovation": 1e300}}', '{"scores": {"innovation": 1e999}}',
    '{"scores": {"innovation": NaN}}', '{"scores": {"innovation": -Infinity}}',
    '{"scores": {"innovation": ' + "9" * 400 + "}}",
], ids=["negative", "huge", "overflowing", "nan", "minus-infinity", "four-hundred-digits"])
def test_scores_outside_the_criterions_range_are_refused(system: System, scene: dict, raw: str) -> None:
    response = httpx.put(f"{system.url('evaluation')}/rounds/{scene['round']}/works/{scene['work']}/sheet",
                         content=raw, headers={**bearer(scene["member"]), "Content-Type": "application/json"},
                         timeout=10)

    assert code(response) in ("422 score_out_of_range", "422 invalid_input")
    assert projected(system, "SELECT count(*) FROM sheets WHERE work_id = $1", uuid.UUID(scene["work"])) == 0


def test_nul_bytes_in_a_comment_a_conflict_or_a_reopening_reason_are_refused_and_change_nothing(
        system: System, scene: dict) -> None:
    round_, work = scene["round"], scene["work"]
    sheet = {"scores": dict.fromkeys(SCORES, 5), "comment": "خوب\x00", "submit": False}
    assert code(evaluation(system, "PUT", f"/rounds/{round_}/works/{work}/sheet", scene["member"],
                           sheet)) == "422 invalid_input"
    lone_surrogate = httpx.put(f"{system.url('evaluation')}/rounds/{round_}/works/{work}/sheet",
                               content='{"scores": {}, "comment": "\\ud800"}', timeout=10,
                               headers={**bearer(scene["member"]), "Content-Type": "application/json"})
    assert code(lone_surrogate) == "422 invalid_input"
    assert code(evaluation(system, "POST", f"/rounds/{round_}/works/{work}/conflict", scene["member"],
                           {"reason": "همسایه\x00ام"})) == "422 invalid_input"
    assert projected(system, "SELECT count(*) FROM assignments WHERE round_id = $1", uuid.UUID(round_)) == 1
    assert projected(system, "SELECT count(*) FROM conflicts WHERE work_id = $1", uuid.UUID(work)) == 0

    submitted = evaluation(system, "PUT", f"/rounds/{round_}/works/{work}/sheet", scene["member"],
                           {**sheet, "comment": "خوب\tو\nروشن", "submit": True})
    assert submitted.status_code == 200, submitted.text  # tabs and line breaks are text, not hostile
    assert evaluation(system, "POST", f"/rounds/{round_}/close", scene["secretary"]).status_code == 200
    reopen = evaluation(system, "POST", f"/rounds/{round_}/reopen", system.token(), {"reason": "اعتراض\x00"})

    assert code(reopen) == "422 invalid_input"
    assert projected(system, "SELECT count(*) FROM rounds WHERE id = $1 AND state = 'closed'", uuid.UUID(round_)) == 1
    assert json.loads(str(projected(system, "SELECT reopenings::text FROM rounds WHERE id = $1",
                                    uuid.UUID(round_)))) == []
