"""Staff identity across services: throttled sign-in, key rotation, foreign and expired tokens, appointments."""

import asyncio
import json
import time
import uuid

import httpx
import jwt
import pytest

from services.registry.identity.crypto import issue_token, new_signing_key, open_private_key
from services.registry.settings import DEVELOPMENT_KEY_ENCRYPTION_KEY
from tests.support.system import STAFF_PASSWORD, System, bearer
from tests.support.waiting import wait_for

PROTECTED = {"submissions": "/works/00000000-0000-0000-0000-000000000000", "evaluation": "/works",
             "notifications": "/deliveries"}
ACCOUNT = {"id": str(uuid.uuid4()), "username": "intruder", "name": "نفوذی", "memberships": [
    {"body": "central-secretariat", "kind": "central_secretariat", "role": "staff", "district": None}]}


def accepted(system: System, service: str, token: str) -> bool:
    """True when the service accepts the token (any answer but 401)."""
    response = httpx.get(f"{system.url(service)}{PROTECTED[service]}", headers=bearer(token))
    return response.status_code != 401


def registry_key(system: System) -> tuple[str, str]:
    """The registry's active signing key, read from its database (as only a test may)."""
    row = asyncio.run(system.fetchval(
        "registry", "SELECT json_build_array(kid, private_pem)::text FROM signing_keys "
        "WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1"))
    kid, pem = json.loads(row)
    return kid, open_private_key(pem, DEVELOPMENT_KEY_ENCRYPTION_KEY)  # stored encrypted (the test system's dev key)


@pytest.mark.parametrize("service", PROTECTED)
def test_the_other_services_accept_registry_tokens_and_refuse_forged_ones(system: System, service: str) -> None:
    assert accepted(system, service, system.token())
    kid, pem = registry_key(system)
    expired = issue_token(kid=kid, private_pem=pem, issuer="hami-registry", account=ACCOUNT, minutes=1,
                          now=time.time() - 3600)
    foreign_kid, foreign_pem, _ = new_signing_key()
    foreign = issue_token(kid=foreign_kid, private_pem=foreign_pem, issuer="hami-registry", account=ACCOUNT,
                          minutes=30)
    same_kid_other_key = issue_token(kid=kid, private_pem=foreign_pem, issuer="hami-registry", account=ACCOUNT,
                                     minutes=30)
    header, claims, signature = system.token().split(".")
    forged_claims = jwt.utils.base64url_encode(b'{"sub":"x","memberships":[]}').decode()
    for token in (expired, foreign, same_kid_other_key, f"{header}.{forged_claims}.{signature}", "nonsense"):
        response = httpx.get(f"{system.url(service)}{PROTECTED[service]}", headers=bearer(token))
        assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


def test_after_key_rotation_old_and_new_tokens_both_work_everywhere(system: System) -> None:
    old = system.token()
    rotated = httpx.post(f"{system.url('registry')}/auth/keys/rotate", headers=bearer(old))
    assert rotated.status_code == 200
    new = system.token()
    assert jwt.get_unverified_header(new)["kid"] == rotated.json()["kid"] != jwt.get_unverified_header(old)["kid"]
    for service in PROTECTED:
        assert accepted(system, service, old)
        wait_for(lambda s=service: accepted(system, s, new), timeout=5)  # an unknown kid refetches the JWKS


def test_repeated_failed_sign_ins_lock_the_username_at_that_client(system: System) -> None:
    system.account_token("staff.throttled", "district-09", "staff")
    url, client = f"{system.url('registry')}/auth/token", {"X-Forwarded-For": "203.0.113.17"}
    wrong = [httpx.post(url, json={"username": "staff.throttled", "password": "wrong-password"}, headers=client)
             for _ in range(5)]
    assert [r.status_code for r in wrong] == [401] * 5
    assert wrong[0].json()["error"]["code"] == "bad_credentials"

    locked = httpx.post(url, json={"username": "staff.throttled", "password": STAFF_PASSWORD}, headers=client)

    assert locked.status_code == 429
    error = locked.json()["error"]
    assert error["code"] == "too_many_attempts" and 0 < error["details"]["retry_after"] <= 60
    other = httpx.post(url, json={"username": "staff.d07-unknown", "password": "x"}, headers=client)
    assert other.status_code == 401  # other usernames are not affected
    assert system.token("staff.throttled", STAFF_PASSWORD)  # nor the same username elsewhere (test_throttle.py)


def test_appointments_and_removals_are_events_and_shape_the_token(system: System) -> None:
    admin = bearer(system.token())
    account = httpx.post(f"{system.url('registry')}/accounts", headers=admin, json={
        "username": "juror.one", "password": STAFF_PASSWORD, "name": "داور یکم", "mobile": "۰۹۱۲ ۱۱۱ ۲۲۳۳",
        "email": "Juror.One@Example.org", "memberships": [{"body": "jury", "role": "juror"}]})
    assert account.status_code == 201, account.text
    person_id = account.json()["person_id"]
    person = httpx.get(f"{system.url('registry')}/people/{person_id}", headers=admin).json()
    assert person["mobile"] == "09121112233" and person["email"] == "juror.one@example.org"
    claims = jwt.decode(system.token("juror.one", STAFF_PASSWORD), options={"verify_signature": False})
    assert [(m["body"], m["role"]) for m in claims["memberships"]] == [("jury", "juror")] and claims["tv"] == 0

    members = httpx.get(f"{system.url('registry')}/bodies/jury/members", headers=admin).json()
    appointment = next(m for m in members if m["person_id"] == person_id)
    removed = httpx.delete(f"{system.url('registry')}/bodies/jury/members/{appointment['appointment_id']}",
                           headers=admin)
    assert removed.status_code == 204
    claims = jwt.decode(system.token("juror.one", STAFF_PASSWORD), options={"verify_signature": False})
    assert claims["memberships"] == [] and claims["tv"] == 1  # tokens from before the removal are revoked

    def events() -> list[str]:
        rows = asyncio.run(system.fetchval(
            "registry", "SELECT coalesce(array_agg(event_type ORDER BY seq), '{}') FROM ledger "
            "WHERE payload->>'person_id' = $1", person_id))
        return list(rows)

    story = wait_for(lambda: (e := events()) and len(e) == 4 and e)
    # Events of one transaction may reach the ledger in either order; the removal (which cuts off the tokens that
    # carried the appointment) came in a later one.
    assert sorted(story[:2]) == ["registry.member.appointed", "registry.person.registered"]
    assert sorted(story[2:]) == ["registry.member.removed", "registry.person.access_revoked"]


@pytest.mark.parametrize(("body", "code"), [
    ({"mobile": "0212345678"}, "invalid_mobile"),
    ({"email": "not-an-email"}, "invalid_email"),
    ({"memberships": [{"body": "no-such-body", "role": "staff"}]}, "not_found"),
    ({"memberships": [{"body": "jury", "role": "emperor"}]}, "invalid_input"),
])
def test_bad_accounts_are_refused_and_leave_nothing_behind(system: System, body: dict, code: str) -> None:
    username = f"u{uuid.uuid4().hex[:8]}"
    before = asyncio.run(system.fetchval("registry", "SELECT count(*) FROM people"))
    response = httpx.post(f"{system.url('registry')}/accounts", headers=bearer(system.token()), json={
        "username": username, "password": STAFF_PASSWORD, "name": "کاربر", **body})
    assert response.json()["error"]["code"] == code
    assert asyncio.run(system.fetchval("registry", "SELECT count(*) FROM people")) == before
    assert not asyncio.run(system.fetchval("registry", "SELECT count(*) FROM accounts WHERE username = $1", username))
