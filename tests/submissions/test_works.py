"""Works over HTTP as district staff would enter them: intake in several districts and categories, duplicates,
edits until the call closes, withdrawal until the evaluation starts, and every refusal changing nothing."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import httpx
import pytest

from shared.persian import format_jalali_datetime
from tests.support.submissions import (
    central_staff_token,
    count,
    ensure_open_call,
    error_of,
    legal_entity_id,
    registered_organisation,
    snapshot,
    wait_for_neighbourhoods,
    wait_for_status,
    work_body,
)
from tests.support.system import System, bearer
from tests.support.waiting import wait_for


@pytest.fixture
def staff(system: System) -> dict:
    """District 7 staff headers, with the default edition's call open."""
    wait_for_neighbourhoods(system)
    ensure_open_call(system)
    return bearer(system.district_staff_token(7))


def post(system: System, headers: dict, body: dict) -> httpx.Response:
    return httpx.post(f"{system.url('submissions')}/works", json=body, headers=headers, timeout=30)


def work_url(system: System, work_id: str, suffix: str = "") -> str:
    return f"{system.url('submissions')}/works/{work_id}{suffix}"


def events_of(system: System, work_id: str, event_type: str) -> int:
    return count(system, "SELECT count(*) FROM outbox WHERE event_type = $1 AND payload->>'work_id' = $2",
                 event_type, work_id)


def test_staff_of_several_districts_receive_works_in_every_category(system: System, staff: dict) -> None:
    received = []
    for district, category in ((3, "entrepreneurship"), (7, "welfare"), (12, "participation"), (22, "welfare")):
        headers = bearer(system.district_staff_token(district))
        body = work_body(district, category=category, title=f"  كارگاه  خياطي محله {uuid.uuid4().hex[:6]} ")
        response = post(system, headers, {**body, "edition": None})  # the call open now
        assert response.status_code == 201, response.text
        received.append(response.json())
    charity = registered_organisation(system)
    representative = {"name": "سارا مرادي", "national_id": "۰۴۹۹۳۷۰۸۹۹", "mobile": "+98 935 111 2233"}
    org = work_body(7, submitter={"kind": "organisation", "legal_entity_id": charity["legal_entity_id"],
                                  "representative": representative})
    by_org = post(system, staff, org)
    assert by_org.status_code == 201, by_org.text
    received.append(by_org.json())
    by_code = post(system, staff, work_body(7, submitter={"kind": "organisation", "code": charity["code"],
                                                          "representative": representative}))
    assert by_code.json()["submitter"] == by_org.json()["submitter"]

    for work in received:
        assert work["edition"] == "1405" and work["status"] == "received" and work["status_fa"] == "دریافت شد"
        assert work["title"].startswith("کارگاه خیاطی محله") or work["submitter"]["kind"] == "organisation"
        assert work["possible_duplicate"] is False
        assert events_of(system, work["id"], "submissions.work.received") == 2  # internal and public
        assert count(system, "SELECT count(*) FROM status_history WHERE work_id = $1", uuid.UUID(work["id"])) == 1
    submitter = received[-1]["submitter"]
    assert submitter == {"kind": "organisation", "name": "سارا مرادی", "national_id": "0499370899",
                         "mobile": "09351112233", "organisation_code": charity["code"],
                         "organisation_name": "خیریه نیکوکاران محله",
                         "organisation_legal_id": charity["legal_entity_id"]}
    code = count(system, "SELECT payload->>'organisation_code' FROM outbox WHERE event_type = "
                         "'submissions.work.received' AND exchange = 'hami.internal' AND payload->>'work_id' = $1",
                 by_org.json()["id"])
    assert code == charity["code"]  # evaluation checks conflicts of interest by the organisation
    assert [w["district"] for w in received] == [3, 7, 12, 22, 7]
    evaluation = system.url("evaluation")
    for work in received:
        wait_for(lambda work=work: httpx.get(f"{evaluation}/works/{work['id']}", headers=staff if work["district"] == 7
                                             else bearer(system.token())).status_code == 200)


def test_a_probable_duplicate_is_accepted_and_flagged_for_staff(system: System, staff: dict) -> None:
    first = post(system, staff, work_body(title="باغچه‌ی مشترک کوچه‌ی بهار")).json()
    same = work_body(title="باغچه ي  مشترك كوچه ي بهار", submitter={**first["submitter"], "mobile": "09120000000"})
    for field in ("kind", "organisation_code", "organisation_name", "organisation_legal_id"):
        del same["submitter"][field]
    other_person = work_body(title="باغچه‌ی مشترک کوچه‌ی بهار")

    again = post(system, staff, same)
    unrelated = post(system, staff, other_person)

    assert again.status_code == 201 and again.json()["possible_duplicate"] is True
    assert again.json()["duplicate_of"] == first["id"]
    assert unrelated.json()["possible_duplicate"] is False
    flagged = httpx.get(f"{system.url('submissions')}/works", params={"possible_duplicate": True, "q": "کوچه بهار"},
                        headers=staff).json()["items"]
    assert [w["id"] for w in flagged] == [again.json()["id"]]


def test_concurrent_duplicates_see_each_other(system: System, staff: dict) -> None:
    body = work_body(title=f"کارگاه همزمان {uuid.uuid4().hex[:6]}")
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(lambda _: post(system, staff, body), range(6)))

    assert [r.status_code for r in responses] == [201] * 6, [r.text for r in responses]
    works = [r.json() for r in responses]
    flagged = [w for w in works if w["possible_duplicate"]]
    assert len(flagged) == 5  # the lock on (submitter, title) orders them: one original, five flagged
    original = next(w for w in works if not w["possible_duplicate"])
    assert {w["duplicate_of"] for w in flagged} == {original["id"]}


def test_staff_edit_a_work_while_its_call_is_open(system: System, staff: dict) -> None:
    work = post(system, staff, work_body()).json()

    edited = httpx.patch(work_url(system, work["id"]), headers=staff, json={
        "title": "صندوق قرض‌الحسنه‌ی بانوان محله", "beneficiaries": 300, "neighbourhood": "بهار",
        "submitter": {**{k: work["submitter"][k] for k in ("name", "national_id")}, "mobile": "09351234567"}})

    assert edited.status_code == 200, edited.text
    changed = edited.json()
    assert changed["title"] == "صندوق قرض‌الحسنه‌ی بانوان محله" and changed["neighbourhood"] == "بهار"
    assert changed["beneficiaries"] == 300 and changed["submitter"]["mobile"] == "09351234567"
    assert changed["updated_at"] is not None and changed["tracking_code"] == work["tracking_code"]
    payload = count(system, "SELECT payload::jsonb->>'changed' FROM outbox "
                            "WHERE event_type = 'submissions.work.changed' AND payload->>'work_id' = $1", work["id"])
    assert payload == '["beneficiaries", "neighbourhood", "submitter", "title"]'
    unchanged = httpx.patch(work_url(system, work["id"]), headers=staff, json={"beneficiaries": 300})
    assert unchanged.status_code == 200 and events_of(system, work["id"], "submissions.work.changed") == 1
    for field in ({"district": 12}, {"status": "awarded"}, {"tracking_code": "1234-5678-9012"}, {"edition": "1404"}):
        error_of(httpx.patch(work_url(system, work["id"]), headers=staff, json=field), 422, "invalid_input")


def test_edits_stop_when_the_call_closes(system: System, staff: dict) -> None:
    ensure_open_call(system, "1381")
    work = post(system, staff, work_body(edition="1381")).json()
    admin = bearer(system.token())
    assert httpx.post(f"{system.url('submissions')}/editions/1381/call/close", headers=admin).status_code == 200
    wait_for_status(system, work["id"], "in_district_evaluation")  # the close opens the district's rounds
    before = snapshot(system)

    refused = httpx.patch(work_url(system, work["id"]), headers=staff, json={"title": "عنوان تازه‌ی اثر"})

    error_of(refused, 409, "work_not_editable")  # (a withdrawal runs on, until the outcome is final)
    assert snapshot(system) == before
    assert httpx.get(work_url(system, work["id"]), headers=staff).json()["title"] == work["title"]


def test_withdrawal_is_recorded_published_and_final(system: System, staff: dict) -> None:
    work = post(system, staff, work_body()).json()

    response = httpx.post(work_url(system, work["id"], "/withdraw"), headers=staff,
                          json={"reason": "ارسال‌کننده  انصراف داد"})

    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    history = httpx.get(work_url(system, work["id"], "/history"), headers=staff).json()
    assert [(h["status"], h["previous_status"]) for h in history] == [("received", None), ("withdrawn", "received")]
    assert history[1]["note"] == "ارسال‌کننده انصراف داد" and history[1]["at_jalali"].startswith("14")
    # Every date a person reads comes with its Jalali form (Tehran time) next to the ISO value.
    created = datetime.fromisoformat(work["created_at"])
    assert work["created_at_jalali"] == format_jalali_datetime(created, persian_digits=False).replace("/", "-")
    assert events_of(system, work["id"], "submissions.work.withdrawn") == 1
    assert events_of(system, work["id"], "submissions.work.status_changed") == 2  # internal and public
    before = snapshot(system)
    error_of(httpx.post(work_url(system, work["id"], "/withdraw"), headers=staff, json={"reason": "دوباره"}),
             409, "already_withdrawn")
    error_of(httpx.patch(work_url(system, work["id"]), headers=staff, json={"beneficiaries": 5}),
             409, "work_not_editable")
    assert snapshot(system) == before


@pytest.mark.parametrize(("change", "code"), [
    ({"submitter": {"name": "زهرا احمدی", "national_id": "0499370898", "mobile": "09121234567"}},
     "invalid_national_id"),
    ({"submitter": {"name": "زهرا احمدی", "national_id": "۱۱۱۱۱۱۱۱۱۱", "mobile": "09121234567"}},
     "invalid_national_id"),
    ({"submitter": {"name": "زهرا احمدی", "national_id": "0499370899", "mobile": "02188776655"}}, "invalid_mobile"),
    ({"submitter": {"kind": "organisation", "legal_entity_id": "10380284791",
                    "representative": {"name": "سارا", "national_id": "0499370899", "mobile": "09121234567"}}},
     "invalid_legal_entity_id"),
    ({"submitter": {"kind": "organisation", "legal_entity_id": legal_entity_id(),  # valid, but not registered
                    "representative": {"name": "سارا", "national_id": "0499370899", "mobile": "09121234567"}}},
     "unknown_organisation"),
    ({"submitter": {"kind": "organisation", "code": "ngo-nowhere", "name": "خیریه",
                    "representative": {"name": "سارا", "national_id": "0499370899", "mobile": "09121234567"}}},
     "invalid_input"),  # the organisation's name comes from the registry
    ({"neighbourhood": "ونک"}, "unknown_neighbourhood"),  # a neighbourhood of district 3
    ({"category": "sports"}, "unknown_category"),
    ({"title": "   ...   "}, "invalid_title"),
    ({"answers": {"budget": "ده میلیون"}}, "unknown_question"),
    ({"status": "awarded"}, "invalid_input"),  # server-owned fields are never taken from the body
    ({"tracking_code": "1234-5678-9012"}, "invalid_input"),
    ({"possible_duplicate": False}, "invalid_input"),
    ({"created_by": "someone"}, "invalid_input"),
    ({"beneficiaries": -1}, "invalid_input"),
])
def test_bad_works_are_refused_with_a_code_and_change_nothing(system: System, staff: dict, change: dict,
                                                              code: str) -> None:
    before = snapshot(system)
    error_of(post(system, staff, {**work_body(), **change}), 422, code)
    assert snapshot(system) == before


def test_another_districts_work_is_neither_seen_nor_changed(system: System, staff: dict) -> None:
    work = post(system, staff, work_body()).json()
    other = bearer(system.district_staff_token(12))
    central = bearer(central_staff_token(system))
    before = snapshot(system)

    error_of(post(system, other, work_body(7)), 403, "not_district_staff")
    for method, suffix, body in (("GET", "", None), ("PATCH", "", {"beneficiaries": 1}), ("GET", "/history", None),
                                 ("POST", "/withdraw", {"reason": "انصراف"}), ("GET", "/documents", None)):
        error_of(httpx.request(method, work_url(system, work["id"], suffix), json=body, headers=other), 404,
                 "not_found")
    assert httpx.get(work_url(system, work["id"]), headers=central).status_code == 200  # city-wide staff see it
    error_of(httpx.patch(work_url(system, work["id"]), json={"beneficiaries": 1}, headers=central), 403,
             "not_district_staff")
    error_of(httpx.get(work_url(system, str(uuid.uuid4())), headers=staff), 404, "not_found")
    assert snapshot(system) == before
