"""The thin slice across all four services, over HTTP, on the real broker and databases."""

import asyncio
from datetime import datetime

import httpx
import pytest

from tests.support.submissions import WORK, ensure_open_call, neighbourhood_known, submit
from tests.support.system import System, bearer
from tests.support.waiting import wait_for


def test_structure_is_loaded_with_every_district_and_neighbourhood(system: System) -> None:
    bodies = httpx.get(f"{system.url('registry')}/bodies").json()
    kinds = [b["kind"] for b in bodies]
    assert kinds.count("district_secretariat") == 22
    assert kinds.count("specialised_committee") + kinds.count("jury_committee") == 4
    assert len([b for b in bodies if b["district"] == 7]) == 4  # secretariat and its three committees
    assert len(httpx.get(f"{system.url('registry')}/neighbourhoods").json()) == 349


def test_a_work_travels_from_intake_to_evaluation_and_notifications(system: System) -> None:
    token = system.district_staff_token(7)
    wait_for(lambda: neighbourhood_known(system, 7, "نظام آباد"))

    response = submit(system, token)

    assert response.status_code == 201, response.text
    work = response.json()
    assert work["status"] == "received" and work["district"] == 7
    digits = work["tracking_code"].replace("-", "")
    assert len(digits) == 12 and digits.isascii() and int(digits) % 97 == 1
    seen = wait_for(lambda: httpx.get(f"{system.url('evaluation')}/works/{work['id']}",
                                      headers=bearer(token)).json().get("work_id"))
    assert seen == work["id"]
    admin = bearer(system.token())
    code = work["tracking_code"].replace("-", "")
    mine = wait_for(lambda: [d for d in httpx.get(
        f"{system.url('notifications')}/deliveries", params={"limit": 500, "event_type": "submissions.work.received"},
        headers=admin).json() if code in _ascii(d["body"]).replace("-", "") and _sent_or_held(d)])
    assert len(mine) == 1
    assert mine[0]["recipient"] == "09123456789" and mine[0]["channel"] == "sms"
    assert "مریم کاظمی" in mine[0]["body"]  # Arabic ي/ك normalised at the edge


def test_staff_of_another_district_get_404_not_the_work(system: System) -> None:
    own = system.district_staff_token(7)
    other = system.district_staff_token(12)
    wait_for(lambda: neighbourhood_known(system, 7, "نظام آباد"))
    work = submit(system, own).json()

    assert httpx.get(f"{system.url('submissions')}/works/{work['id']}", headers=bearer(other)).status_code == 404
    refused = submit(system, other)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_district_staff"


@pytest.mark.parametrize(("change", "code"), [
    ({"submitter": {**WORK["submitter"], "national_id": "0499370898"}}, "invalid_national_id"),
    ({"submitter": {**WORK["submitter"], "mobile": "02188776655"}}, "invalid_mobile"),
    ({"neighbourhood": "ونک"}, "unknown_neighbourhood"),  # a district 3 neighbourhood
    ({"category": "sports"}, "unknown_category"),
    ({"status": "awarded"}, "invalid_input"),  # server-owned field
])
def test_bad_input_is_refused_with_a_code_and_changes_nothing(system: System, change: dict, code: str) -> None:
    token = system.district_staff_token(7)
    wait_for(lambda: neighbourhood_known(system, 7, "نظام آباد"))
    ensure_open_call(system)
    before = asyncio.run(system.fetchval("submissions", "SELECT count(*) FROM works"))
    outbox_before = asyncio.run(system.fetchval("submissions", "SELECT count(*) FROM outbox"))

    response = submit(system, token, {**WORK, **change})

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == code and error["message_fa"] and error["message_en"]
    after = asyncio.run(system.fetchval("submissions", "SELECT count(*) FROM works"))
    outbox = asyncio.run(system.fetchval("submissions", "SELECT count(*) FROM outbox"))
    assert after == before and outbox == outbox_before


def test_unauthenticated_requests_are_refused(system: System) -> None:
    response = httpx.post(f"{system.url('submissions')}/works", json=WORK)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    forged = httpx.post(f"{system.url('submissions')}/works", json=WORK, headers=bearer("e30.e30.sig"))
    assert forged.status_code == 401


def _sent_or_held(delivery: dict) -> bool:
    """Sent, or held for the SMS quiet hours (Tehran night): pending with a later send time."""
    when = {key: datetime.fromisoformat(delivery[key]) for key in ("created_at", "next_attempt_at")}
    held = delivery["status"] == "pending" and when["next_attempt_at"] > when["created_at"]
    return delivery["status"] == "sent" or held


def _ascii(text: str) -> str:
    return text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))


def test_loading_the_structure_again_changes_nothing(system: System) -> None:
    ledger_before = asyncio.run(system.fetchval("registry", "SELECT count(*) FROM outbox"))

    response = httpx.post(f"{system.url('registry')}/structure/reload", headers=bearer(system.token()))

    assert response.status_code == 200 and response.json() == {}
    assert asyncio.run(system.fetchval("registry", "SELECT count(*) FROM outbox")) == ledger_before


def test_only_the_festival_secretary_reloads_the_structure(system: System) -> None:
    staff = system.district_staff_token(7)
    response = httpx.post(f"{system.url('registry')}/structure/reload", headers=bearer(staff))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_the_registry_ledger_records_every_internal_event(system: System) -> None:
    published = asyncio.run(system.fetchval("registry", "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL"))
    assert published >= 22 * 4 + 349
    wait_for(lambda: asyncio.run(system.fetchval(
        "registry", "SELECT count(*) FROM ledger WHERE event_type = 'registry.neighbourhood.created'")) == 349)


@pytest.mark.parametrize("service", ["registry", "submissions", "evaluation", "notifications"])
def test_every_service_serves_openapi_health_and_metrics(system: System, service: str) -> None:
    base = system.url(service)
    assert httpx.get(f"{base}/docs").status_code == 200
    assert httpx.get(f"{base}/openapi.json").json()["info"]["title"].lower() == f"hami {service}"
    assert httpx.get(f"{base}/health/live").json() == {"status": "alive"}
    ready = httpx.get(f"{base}/health/ready").json()
    assert ready["status"] == "ready" and ready["checks"]["consumers"] is True
    metrics = httpx.get(f"{base}/metrics").text
    for name in ("hami_http_requests_total", "hami_events_published_total", "hami_outbox_backlog",
                 "hami_outbox_oldest_unsent_seconds", "hami_dead_letter_depth", "hami_events_consumed_total"):
        assert name in metrics, name
