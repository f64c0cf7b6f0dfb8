"""Cutting someone off: once registry raises a person's token version (account deactivated, password changed or
reset, appointment ended), no service accepts the tokens they held before. Each test measures the window: from
registry's answer to the last service refusing, and it must stay under a minute (it is the outbox relay and one
consumer hop, so well under a second on an idle machine)."""

import time
import uuid

import httpx

from tests.support.system import STAFF_PASSWORD, System, bearer

# A route of each service that central secretariat staff may read.
PROTECTED = {"registry": "/decisions", "submissions": "/works", "evaluation": "/works", "notifications": "/inbox"}
WINDOW_SECONDS = 60


def central_staff(system: System) -> dict:
    """A fresh central secretariat account: its ids, username and a signed-in token."""
    username = f"cut.{uuid.uuid4().hex[:8]}"
    response = httpx.post(f"{system.url('registry')}/accounts", headers=bearer(system.token()), timeout=10, json={
        "username": username, "password": STAFF_PASSWORD, "name": "کارشناس دبیرخانه",
        "memberships": [{"body": "central-secretariat", "role": "staff"}]})
    assert response.status_code == 201, response.text
    return {**response.json(), "token": system.token(username, STAFF_PASSWORD)}


def answers(system: System, token: str) -> dict[str, int]:
    """Each service's status for the token on its protected route."""
    return {service: httpx.get(system.url(service) + path, headers=bearer(token), timeout=10).status_code
            for service, path in PROTECTED.items()}


def seconds_until_refused_everywhere(system: System, token: str) -> float:
    """Poll every service until each refuses the token as revoked; the seconds that took."""
    started = time.monotonic()
    pending = set(PROTECTED)
    while pending and time.monotonic() - started < WINDOW_SECONDS:
        for service in sorted(pending):
            response = httpx.get(system.url(service) + PROTECTED[service], headers=bearer(token), timeout=10)
            if response.status_code == 401:
                assert response.json()["error"]["code"] == "access_revoked", response.text
                pending.discard(service)
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    assert not pending, f"still accepted after {elapsed:.1f} s by {sorted(pending)}"
    print(f"revoked everywhere in {elapsed:.2f} s")
    return elapsed


def test_a_deactivated_account_is_cut_off_everywhere_and_cannot_sign_in(system: System) -> None:
    staff = central_staff(system)
    assert set(answers(system, staff["token"]).values()) == {200}
    response = httpx.post(f"{system.url('registry')}/accounts/{staff['id']}/deactivate",
                          headers=bearer(system.token()), timeout=10)
    assert response.status_code == 200, response.text
    assert seconds_until_refused_everywhere(system, staff["token"]) < WINDOW_SECONDS
    refused = httpx.post(f"{system.url('registry')}/auth/token",
                         json={"username": staff["username"], "password": STAFF_PASSWORD})
    assert refused.status_code == 401


def test_a_reset_password_cuts_off_the_old_tokens_and_the_new_one_works(system: System) -> None:
    staff = central_staff(system)
    response = httpx.post(f"{system.url('registry')}/accounts/{staff['id']}/password", headers=bearer(system.token()),
                          json={"new_password": "a-new-password-2026"}, timeout=10)
    assert response.status_code == 204, response.text
    seconds_until_refused_everywhere(system, staff["token"])
    fresh = system.token(staff["username"], "a-new-password-2026")
    assert set(answers(system, fresh).values()) == {200}


def test_changing_ones_own_password_keeps_only_the_token_it_returns(system: System) -> None:
    staff = central_staff(system)
    response = httpx.post(f"{system.url('registry')}/auth/password", headers=bearer(staff["token"]), timeout=10,
                          json={"current_password": STAFF_PASSWORD, "new_password": "my-own-new-password"})
    assert response.status_code == 200, response.text
    seconds_until_refused_everywhere(system, staff["token"])
    assert set(answers(system, response.json()["access_token"]).values()) == {200}


def test_an_ended_appointment_cuts_off_the_tokens_that_carried_it(system: System) -> None:
    staff = central_staff(system)
    members = httpx.get(f"{system.url('registry')}/bodies/central-secretariat/members",
                        headers=bearer(system.token()), timeout=10).json()
    appointment = next(m["appointment_id"] for m in members if m["person_id"] == staff["person_id"])
    response = httpx.delete(f"{system.url('registry')}/bodies/central-secretariat/members/{appointment}",
                            headers=bearer(system.token()), timeout=10)
    assert response.status_code == 204, response.text
    seconds_until_refused_everywhere(system, staff["token"])
    fresh = system.token(staff["username"], STAFF_PASSWORD)  # signs in, but holds no appointment any more
    assert answers(system, fresh)["submissions"] == 403
