"""Cutting someone off over HTTP: deactivating an account, resetting or changing a password, deactivating an
organisation. Each refuses the old way in (the same answer as a wrong password) and raises the account's token
version, which new tokens carry as `tv` (every service refuses a token older than its person's version)."""

import asyncio
import uuid

import httpx
import jwt
import pytest

from tests.support.system import STAFF_PASSWORD, System, bearer

NEW_PASSWORD = "a-brand-new-password"


def fresh(prefix: str) -> str:
    """A username or code nobody used yet."""
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def staff_account(system: System, district: int = 9) -> dict:
    """A new district staff account, made by the festival secretary: its id, username and person."""
    response = httpx.post(f"{system.url('registry')}/accounts", headers=bearer(system.token()), json={
        "username": fresh("kar."), "password": STAFF_PASSWORD, "name": "کارشناس آزمون",
        "memberships": [{"body": f"district-{district:02d}", "role": "staff"}]})
    assert response.status_code == 201, response.text
    return response.json()


def sign_in(system: System, username: str, password: str = STAFF_PASSWORD) -> httpx.Response:
    """POST /auth/token."""
    return httpx.post(f"{system.url('registry')}/auth/token", json={"username": username, "password": password},
                      timeout=30)


def tv(response: httpx.Response) -> int:
    """The token version a sign-in's token carries."""
    assert response.status_code == 200, response.text
    return jwt.decode(response.json()["access_token"], options={"verify_signature": False})["tv"]


def token_version(system: System, username: str) -> int:
    """The account's token version, from the registry's database."""
    return asyncio.run(system.fetchval("registry", "SELECT token_version FROM accounts WHERE username = $1",
                                       username))


@pytest.fixture(scope="module")
def secretary_09(system: System) -> str:
    """District 9's secretary."""
    return system.district_secretary_token(9)


def test_a_deactivated_account_cannot_sign_in(system: System, secretary_09: str) -> None:
    account = staff_account(system)
    assert tv(sign_in(system, account["username"])) == 0
    url = f"{system.url('registry')}/accounts/{account['id']}/deactivate"
    foreign = httpx.post(url, headers=bearer(system.district_secretary_token(10)))
    assert foreign.status_code == 403 and foreign.json()["error"]["code"] == "forbidden"

    deactivated = httpx.post(url, headers=bearer(secretary_09))

    assert deactivated.status_code == 200, deactivated.text
    assert deactivated.json() == {"id": account["id"], "username": account["username"],
                                  "person_id": account["person_id"], "active": False, "organisation": None}
    refused = sign_in(system, account["username"])
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "bad_credentials"
    assert token_version(system, account["username"]) == 1
    missing = httpx.post(f"{system.url('registry')}/accounts/{uuid.uuid4()}/deactivate", headers=bearer(secretary_09))
    assert missing.status_code == 404


def test_a_password_reset_by_the_district_secretary_replaces_the_old_one(system: System, secretary_09: str) -> None:
    account = staff_account(system)
    url = f"{system.url('registry')}/accounts/{account['id']}/password"
    short = httpx.post(url, headers=bearer(secretary_09), json={"new_password": "short"})
    assert short.status_code == 422 and short.json()["error"]["code"] == "invalid_input"

    reset = httpx.post(url, headers=bearer(secretary_09), json={"new_password": NEW_PASSWORD})

    assert reset.status_code == 204, reset.text
    assert sign_in(system, account["username"]).status_code == 401
    assert tv(sign_in(system, account["username"], NEW_PASSWORD)) == 1


def test_changing_ones_own_password_needs_the_current_one_and_returns_a_fresh_token(system: System) -> None:
    account = staff_account(system)
    token = sign_in(system, account["username"]).json()["access_token"]
    url = f"{system.url('registry')}/auth/password"
    wrong = httpx.post(url, headers=bearer(token), json={"current_password": "not-it", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "wrong_current_password"
    assert httpx.post(url, json={"current_password": STAFF_PASSWORD, "new_password": NEW_PASSWORD}).status_code == 401

    changed = httpx.post(url, headers=bearer(token), json={"current_password": STAFF_PASSWORD,
                                                           "new_password": NEW_PASSWORD})

    assert tv(changed) == 1 and changed.json()["expires_in"] > 0
    assert sign_in(system, account["username"]).status_code == 401
    assert tv(sign_in(system, account["username"], NEW_PASSWORD)) == 1


def test_a_deactivated_organisations_account_cannot_sign_in(system: System, secretary_09: str) -> None:
    base, code, username = system.url("registry"), fresh("sara-"), fresh("sara.")
    assert httpx.post(f"{base}/organisations", headers=bearer(secretary_09), json={
        "code": code, "kind": "neighbourhood_centre", "name_fa": "سرای محلهٔ آزمون", "district": 9}).status_code == 201
    opened = httpx.post(f"{base}/organisations/{code}/accounts", headers=bearer(secretary_09), json={
        "username": username, "password": STAFF_PASSWORD, "name": "نمایندهٔ سرا"})
    assert opened.status_code == 201, opened.text
    assert tv(sign_in(system, username)) == 0

    closed = httpx.patch(f"{base}/organisations/{code}", headers=bearer(secretary_09), json={"active": False})

    assert closed.status_code == 200 and closed.json()["active"] is False
    refused = sign_in(system, username)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "bad_credentials"
    assert token_version(system, username) == 1
    reopened = httpx.patch(f"{base}/organisations/{code}", headers=bearer(secretary_09), json={"active": True})
    assert reopened.status_code == 200 and tv(sign_in(system, username)) == 1
