"""Hostile input never yields a server error from the registry: NUL bytes, other control characters and lone
surrogates in any text, integers past what a district (or the database) can be, each refused with a 4xx in the
common error shape and nothing stored. (Sign-in's own: tests/registry/test_throttle.py.)"""

import json
import uuid

import httpx
import pytest

from tests.support.system import System, bearer

NUL, ESC, SURROGATE = "\u0000", "\u001b", "\ud800"
HUGE = 10**20
DEADLINE = {"ack_deadline": "1499/01/01"}


def decision(**change: object) -> dict:
    """A directive of the festival secretary to district 7, changed."""
    return {"title": "دستورالعمل", "text": "متن", "issuing_body": "festival-secretary", "kind": "directive",
            "districts": [7], **DEADLINE, **change}


REQUESTS = [
    ("POST", "/people", {"name": f"علی{NUL}رضایی"}),
    ("POST", "/people", {"name": f"علی{SURROGATE}"}),
    ("POST", "/people", {"name": "علی رضایی", "email": f"ali{NUL}@example.org"}),
    ("POST", "/accounts", {"username": "hostile.one", "password": "long-enough-password", "name": f"x{ESC}y"}),
    ("POST", "/accounts", {"username": "hostile.two", "password": f"long-enough{NUL}password", "name": "کاربر"}),
    ("POST", "/accounts", {"username": "hostile.three", "password": "long-enough-password", "name": "کاربر",
                           "memberships": [{"body": f"jury{NUL}", "role": "juror"}]}),
    ("POST", "/organisations", {"code": "sara-hostile", "kind": "neighbourhood_centre", "name_fa": f"سرا{NUL}",
                                "district": 7}),
    ("POST", "/organisations", {"code": "sara-hostile", "kind": "neighbourhood_centre", "name_fa": "سرا",
                                "district": HUGE}),
    ("POST", "/bodies", {"code": "hostile-body", "kind": f"group{NUL}", "name_fa": "کارگروه",
                         "parent_code": "festival-secretary"}),
    ("POST", "/bodies", {"code": "hostile-body", "kind": "group", "name_fa": "کارگروه",
                         "parent_code": "festival-secretary", "district": HUGE}),
    ("POST", "/decisions", decision(title=f"عنوان{NUL}")),
    ("POST", "/decisions", decision(text=f"متن{SURROGATE}")),
    ("POST", "/decisions", decision(committees=[f"jury{NUL}"])),
    ("POST", "/decisions", decision(issuing_body=f"festival-secretary{NUL}")),
    ("POST", "/decisions", decision(ack_deadline=f"1499/01/01{NUL}")),
    ("POST", "/decisions", decision(districts=[HUGE])),
    ("POST", "/decisions", decision(kind="actionable", issuing_body="policy-council", parameters={
        "action": "open_call", "edition": "1405", "categories": {"welfare": f"رفاه{NUL}"},
        "opens_at": "2026-01-01T00:00:00Z", "closes_at": "2027-01-01T00:00:00Z"})),
    ("POST", f"/decisions/{uuid.uuid4()}/relay", {"notes": {"7": f"یادداشت{NUL}"}}),
    ("POST", f"/decisions/{uuid.uuid4()}/relay", {"districts": [HUGE]}),
    ("POST", f"/decisions/{uuid.uuid4()}/districts/{HUGE}/acknowledge", {}),
    ("POST", f"/decisions/{uuid.uuid4()}/districts/7/acknowledge", {"note": f"ok{NUL}"}),
    ("GET", f"/decisions?district={HUGE}", None),
    ("GET", f"/decisions?offset={HUGE}", None),
    ("GET", f"/districts/{HUGE}/reports", None),
    ("POST", f"/districts/{HUGE}/reports", {"period_start": "1405/08/01", "period_end": "1405/08/30"}),
    ("POST", "/districts/7/reports", {"period_start": "1405/08/01", "period_end": "1405/08/30",
                                      "achievements": f"کار{NUL}"}),
    ("POST", "/city-reports", {"period_start": f"1405/08/01{ESC}", "period_end": "1405/08/30"}),
    ("GET", f"/bodies?district={HUGE}", None),
    ("GET", f"/neighbourhoods?district={HUGE}", None),
    ("GET", f"/organisations?district={HUGE}", None),
    ("POST", "/auth/password", {"current_password": f"x{NUL}", "new_password": "long-enough-password"}),
    ("POST", f"/accounts/{uuid.uuid4()}/password", {"new_password": f"long-enough{NUL}password"}),
]


@pytest.mark.parametrize(("method", "path", "body"), REQUESTS, ids=[f"{m} {p[:40]} {i}" for i, (m, p, _) in
                                                                    enumerate(REQUESTS)])
def test_hostile_input_is_refused_with_a_4xx(system: System, method: str, path: str, body: dict | None) -> None:
    # Sent as raw JSON: a lone surrogate cannot be encoded as UTF-8, but JSON can escape it.
    content = json.dumps(body).encode() if body is not None else None
    response = httpx.request(method, f"{system.url('registry')}{path}", content=content, timeout=30, headers={
        **bearer(system.token()), **({"Content-Type": "application/json"} if content else {})})
    assert 400 <= response.status_code < 500, f"{response.status_code} {response.text}"
    error = response.json()["error"]
    assert error["code"] and error["message_fa"] and error["message_en"]
