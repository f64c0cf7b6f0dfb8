"""Who may do what in the registry: a role x endpoint matrix, deny by default."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.support.system import System, bearer

ROLES = ("anonymous", "staff_d07", "staff_d12", "secretary_d07", "central", "festival_secretary", "council_chair")


@pytest.fixture(scope="module")
def tokens(system: System) -> dict[str, str | None]:
    """A signed-in token per role (None for anonymous)."""
    return {
        "anonymous": None,
        "staff_d07": system.district_staff_token(7),
        "staff_d12": system.district_staff_token(12),
        "secretary_d07": system.district_secretary_token(7),
        "central": system.account_token("staff.central", "central-secretariat", "staff"),
        "festival_secretary": system.token(),
        "council_chair": system.account_token("chair.council", "policy-council", "chair"),
    }


@pytest.fixture(scope="module")
def unrelayed_decision(system: System, tokens: dict) -> str:
    """A decision to district 7 that nobody relayed yet (so acknowledging it is out of order)."""
    response = httpx.post(f"{system.url('registry')}/decisions", headers=bearer(tokens["council_chair"]), json={
        "title": "دستورالعمل آزمایشی", "text": "متن", "issuing_body": "policy-council", "kind": "directive",
        "districts": [7], "ack_deadline_at": (datetime.now(UTC) + timedelta(days=3)).isoformat()})
    return response.json()["id"]


def new_person(system: System) -> str:
    """A person registered by the festival secretary."""
    return httpx.post(f"{system.url('registry')}/people", headers=bearer(system.token()),
                      json={"name": "داوطلب آزمون", "mobile": "09350001122"}).json()["id"]


def new_account(body: str) -> dict:
    """An account request with a fresh username."""
    return {"username": f"u{uuid.uuid4().hex[:10]}", "password": "long-enough-password", "name": "کاربر تازه",
            "memberships": [{"body": body, "role": "staff"}]}


# endpoint -> (request builder, expected status per role); every role not listed must get 403.
Call = Callable[[System, str], tuple[str, str, dict | None]]
MATRIX: dict[str, tuple[Call, dict[str, int]]] = {
    "create district-7 account": (lambda s, d: ("POST", "/accounts", new_account("district-07")),
                                  {"secretary_d07": 201, "festival_secretary": 201}),
    "reload structure": (lambda s, d: ("POST", "/structure/reload", None), {"festival_secretary": 200}),
    "issue council decision": (lambda s, d: ("POST", "/decisions", {
        "title": "مصوبه", "text": "متن", "issuing_body": "policy-council", "kind": "notice", "districts": [1],
        "ack_deadline": "1499/01/01"}), {"council_chair": 201}),
    "acknowledge for district 7": (lambda s, d: ("POST", f"/decisions/{d}/districts/7/acknowledge", {}),
                                   {"staff_d07": 409, "secretary_d07": 409}),
    "read the ledger": (lambda s, d: ("GET", "/ledger", None), {"central": 200, "festival_secretary": 200}),
    "read the monitoring table": (lambda s, d: ("GET", "/monitoring", None),
                                  {"central": 200, "festival_secretary": 200, "council_chair": 200}),
    "file district 7 report": (lambda s, d: ("POST", "/districts/7/reports", {
        "period_start": "1405/08/01", "period_end": "1405/08/30"}), {"staff_d07": 201, "secretary_d07": 201}),
    "read district 7 reports": (lambda s, d: ("GET", "/districts/7/reports", None), {
        "staff_d07": 200, "secretary_d07": 200, "central": 200, "festival_secretary": 200, "council_chair": 200}),
    "appoint to the jury": (lambda s, d: ("POST", "/bodies/jury/members",
                                          {"person_id": new_person(s), "role": "juror"}), {"festival_secretary": 201}),
    "appoint to district 7 executive": (lambda s, d: ("POST", "/bodies/district-07-executive/members",
                                                      {"person_id": new_person(s), "role": "member"}),
                                        {"secretary_d07": 201}),
    "list district 12 decisions": (lambda s, d: ("GET", "/decisions?district=12", None), {
        "staff_d12": 200, "central": 200, "festival_secretary": 200, "council_chair": 200}),
    "compile the city report": (lambda s, d: ("POST", "/city-reports", {
        "period_start": "1405/08/01", "period_end": "1405/08/30"}), {"central": 201}),
    "verify the ledger": (lambda s, d: ("GET", "/ledger/verify", None), {"central": 200, "festival_secretary": 200}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", MATRIX)
def test_access_matrix(system: System, tokens: dict, unrelayed_decision: str, endpoint: str, role: str) -> None:
    build, allowed = MATRIX[endpoint]
    method, path, body = build(system, unrelayed_decision)
    headers = bearer(tokens[role]) if tokens[role] else {}

    response = httpx.request(method, f"{system.url('registry')}{path}", json=body, headers=headers, timeout=30)

    expected = 401 if role == "anonymous" else allowed.get(role, 403)
    assert response.status_code == expected, response.text
    if expected in (401, 403):
        assert response.json()["error"]["code"] in {"not_authenticated", "forbidden", "not_district_staff"}
