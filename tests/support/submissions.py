"""Submissions in the end-to-end tests: open an edition's call as the festival secretary would, and make up
valid works, submitters and staff accounts."""

import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from services.submissions.domain import CATEGORIES
from shared.contracts.registry import DecisionIssued
from shared.persian import format_jalali_date, legal_entity_check_digit, national_id_check_digit
from tests.support.system import System, bearer, run

DEFAULT_EDITION = "1405"
_opened: set[tuple[str, str]] = set()
# A neighbourhood of each district used by the tests (as in deploy/tehran_neighbourhoods.csv).
NEIGHBOURHOODS = {3: "ونک", 7: "نظام آباد", 12: "بازار", 19: "نعمت آباد", 22: "زیبادشت"}


def jalali(moment: datetime) -> str:
    """The Tehran-time Jalali date of a moment, as staff type it (1405/02/01)."""
    return format_jalali_date(moment, persian_digits=False)


def call_body(*, opens: datetime | None = None, closes: datetime | None = None, **extra: object) -> dict:
    """Settings of a call open from yesterday for two months unless told otherwise."""
    now = datetime.now(UTC)
    return {"opens_on": jalali(opens or now - timedelta(days=1)),
            "closes_on": jalali(closes or now + timedelta(days=60)), **extra}


def ensure_open_call(system: System, edition: str = DEFAULT_EDITION, **settings: object) -> None:
    """Create the edition and open its call with the festival's three categories (once per running system), as
    the festival secretary; a decision another test had registry issue for the edition is overridden."""
    if (system.prefix, edition) in _opened:
        return
    admin = bearer(system.token())
    base = system.url("submissions")
    created = httpx.post(f"{base}/editions", json={"code": edition}, headers=admin, timeout=10)
    assert created.status_code in (201, 409), created.text
    body = call_body(**{"categories": CATEGORIES, **settings})
    configured = httpx.put(f"{base}/editions/{edition}/call", json=body, headers=admin, timeout=10)
    assert configured.status_code == 200, configured.text
    opened = httpx.post(f"{base}/editions/{edition}/call/open", headers=admin, timeout=10)
    assert opened.status_code == 200 or opened.json()["error"]["code"] == "call_already_open", opened.text
    _opened.add((system.prefix, edition))


def central_staff_token(system: System) -> str:
    """Create (once) a central secretariat staff account and sign it in."""
    return system.account_token("staff.central", "central-secretariat", "staff", "کارشناس دبیرخانه مرکزی")


def registered_organisation(system: System, name: str = "خیریه نیکوکاران محله", district: int = 7) -> dict:
    """Register a charity at the registry as the festival secretary; returns it once submissions knows it."""
    organisation = {"code": f"charity-{uuid.uuid4().hex[:8]}", "kind": "charity", "name_fa": name,
                    "legal_entity_id": legal_entity_id(), "district": district}
    response = httpx.post(f"{system.url('registry')}/organisations", json=organisation,
                          headers=bearer(system.token()), timeout=10)
    assert response.status_code == 201, response.text
    deadline = time.monotonic() + 30
    while not count(system, "SELECT count(*) FROM organisations WHERE code = $1", organisation["code"]):
        assert time.monotonic() < deadline, "submissions never learnt the organisation"
        time.sleep(0.2)
    return organisation


def national_id() -> str:
    """A random valid national ID (کد ملی)."""
    while len(set(first := f"{random.randrange(10**9):09d}")) == 1:
        pass
    return first + str(national_id_check_digit(first))


def legal_entity_id() -> str:
    """A random valid legal-entity ID (شناسه ملی)."""
    first = f"1{random.randrange(10**9):09d}"
    return first + str(legal_entity_check_digit(first))


def mobile() -> str:
    """A random mobile number."""
    return f"0912{random.randrange(10**7):07d}"


def work_body(district: int = 7, *, edition: str | None = DEFAULT_EDITION, **overrides: object) -> dict:
    """A valid work for a district, with a title and submitter no other test uses."""
    body = {
        "district": district, "neighbourhood": NEIGHBOURHOODS[district], "category": "welfare",
        "title": f"صندوق قرض‌الحسنه‌ی محله {uuid.uuid4().hex[:8]}",
        "summary": "همسایه‌ها صندوقی برای وام‌های کوچک بی‌بهره راه انداختند.",
        "submitter": {"name": "زهرا احمدی", "national_id": national_id(), "mobile": mobile()},
        "team": [{"name": "علی رضایی", "role": "هماهنگ‌کننده"}], "beneficiaries": 120,
    }
    if edition is not None:
        body["edition"] = edition
    return {**body, **overrides}


def count(system: System, query: str, *args: object) -> int:
    """A count from submissions' database."""
    return run(system.fetchval("submissions", query, *args))


def snapshot(system: System) -> dict[str, int]:
    """Row counts that a refused request must leave as they were."""
    tables = ("works", "outbox", "status_history", "documents", "editions", "calls")
    return {table: count(system, f"SELECT count(*) FROM {table}") for table in tables}


def wait_for_neighbourhoods(system: System, timeout: float = 120.0) -> None:
    """Wait until submissions has projected every neighbourhood from registry's events (349 of them: on a loaded
    2-core machine that took over 30 s after the system started)."""
    deadline = time.monotonic() + timeout
    while count(system, "SELECT count(*) FROM neighbourhoods WHERE active") < 349:
        assert time.monotonic() < deadline, "submissions never learnt every neighbourhood"
        time.sleep(0.2)


def decision(action, **overrides) -> DecisionIssued:
    """A decision as registry would publish it (by the council's chair unless told otherwise)."""
    return DecisionIssued(**{
        "decision_id": uuid.uuid4(), "title": "فراخوان جشنواره", "text": "متن مصوبه", "issuing_body": "policy-council",
        "kind": "call", "all_districts": True, "districts": [], "committees": [],
        "ack_deadline": datetime.now(UTC) + timedelta(days=7), "parameters": action,
        "issuer_kind": "policy_council", "issuer_role": "chair", **overrides})


def applied(system: System, event: DecisionIssued) -> bool:
    """True once submissions has consumed the decision (applied or not)."""
    return count(system, "SELECT count(*) FROM inbox WHERE message_id = $1", str(event.event_id)) == 1


def wait_for_status(system: System, work_id: str, status: str, timeout: float = 30.0) -> None:
    """Wait until a work reaches a status (evaluation moves works over the bus, e.g. when the call closes)."""
    deadline = time.monotonic() + timeout
    while count(system, "SELECT status FROM works WHERE id = $1", uuid.UUID(work_id)) != status:
        assert time.monotonic() < deadline, f"work {work_id} never reached {status}"
        time.sleep(0.2)


def error_of(response: httpx.Response, status: int, code: str) -> dict:
    """The refusal's body, after checking its status, stable code and both messages."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["message_fa"] and error["message_en"] and error["message_fa"] != error["message_en"]
    return error


WORK = {
    "district": 7,
    "neighbourhood": "نظام آباد",
    "category": "participation",
    "title": "باغچه‌ی مشترک محله",
    "summary": "ساکنان محله یک زمین رهاشده را به باغچه‌ی مشترک تبدیل کردند.",
    "submitter": {"name": "مريم كاظمی", "national_id": "۰۴۹۹۳۷۰۸۹۹", "mobile": "+98 912 345 6789"},
}


def submit(system: System, token: str, work: dict = WORK) -> httpx.Response:
    """POST a work to submissions (into the open call of the default edition, opened once if needed)."""
    ensure_open_call(system)
    return httpx.post(f"{system.url('submissions')}/works", json=work, headers=bearer(token), timeout=10)


def neighbourhood_known(system: System, district: int, name: str) -> bool:
    """True once submissions has projected the neighbourhood from registry's events."""
    return bool(run(system.fetchval(
        "submissions", "SELECT count(*) FROM neighbourhoods WHERE district = $1 AND name_fa = $2 AND active",
        district, name)))
