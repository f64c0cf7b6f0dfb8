"""Sign-in throttling that cannot be turned against users, over HTTP: failures lock a username only at the client
that failed, a client spraying many usernames is locked whatever the username, X-Forwarded-For names the client
only when a configured proxy sends it (sign-in and the tracking lookup alike), and hostile characters in a sign-in
are refused, not a server error.

The test system trusts 127.0.0.1 as its proxy (tests/support/system.py), so here an X-Forwarded-For header is the
client's address, as the reverse proxy would pass it on; `untrusting` runs registry and submissions trusting nobody.
"""

import random
import uuid

import httpx
import pytest

from services.registry.identity.domain import CLIENT_FAILURES, FREE_SIGN_IN_FAILURES
from tests.support.registry_untrusting import trusting_nobody
from tests.support.servers import Servers
from tests.support.system import ADMIN_PASSWORD, ADMIN_USERNAME, System

WRONG = "not-the-password"


def sign_in(base: str, username: str, password: str, address: str | None = None) -> httpx.Response:
    """POST /auth/token, from a client address when given (as the proxy passes it on)."""
    return httpx.post(f"{base}/auth/token", json={"username": username, "password": password},
                      headers={"X-Forwarded-For": address} if address else {}, timeout=30)


def answer(response: httpx.Response) -> str:
    """The status and, for a refusal, its code."""
    return f"{response.status_code} {response.json()['error']['code']}" if response.status_code >= 400 else str(
        response.status_code)


_HOSTS: dict[str, list[int]] = {}


def address(network: str = "203.0.113") -> str:
    """A client address no other test of this module uses: a clean throttle record (drawn at random without
    repeats; repeats drawn from 250 had one test's locked attacker turn up as another test's innocent client)."""
    return f"{network}.{_HOSTS.setdefault(network, random.sample(range(1, 255), 254)).pop()}"


@pytest.fixture(scope="module")
def untrusting(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Registry and submissions trusting no proxy (the setting's default)."""
    with trusting_nobody(servers, tmp_path_factory.mktemp("untrusting")) as urls:
        yield urls


def test_locking_out_the_secretary_from_another_address_does_not_stop_her(system: System) -> None:
    base, attacker = system.url("registry"), address()
    wrong = [answer(sign_in(base, ADMIN_USERNAME, WRONG, attacker)) for _ in range(FREE_SIGN_IN_FAILURES)]
    assert wrong == ["401 bad_credentials"] * FREE_SIGN_IN_FAILURES

    locked = sign_in(base, ADMIN_USERNAME, ADMIN_PASSWORD, attacker)
    at_her_desk = sign_in(base, ADMIN_USERNAME, ADMIN_PASSWORD, address("198.51.100"))

    assert answer(locked) == "429 too_many_attempts" and 0 < locked.json()["error"]["details"]["retry_after"] <= 60
    assert at_her_desk.status_code == 200 and at_her_desk.json()["access_token"]
    assert system.token()  # and without any proxy header, from the tests' own address


def test_a_client_spraying_many_usernames_is_locked_whatever_the_username(system: System) -> None:
    base, sprayer = system.url("registry"), address()
    sprayed = [answer(sign_in(base, f"guess.{n}.{uuid.uuid4().hex[:6]}", "Winter1404!", sprayer))
               for n in range(CLIENT_FAILURES + 1)]
    assert sprayed == ["401 bad_credentials"] * (CLIENT_FAILURES + 1)

    assert answer(sign_in(base, ADMIN_USERNAME, ADMIN_PASSWORD, sprayer)) == "429 too_many_attempts"
    assert answer(sign_in(base, "staff.d07", WRONG, sprayer)) == "429 too_many_attempts"
    assert sign_in(base, ADMIN_USERNAME, ADMIN_PASSWORD, address("198.51.100")).status_code == 200


def test_x_forwarded_for_from_an_untrusted_peer_changes_no_client(system: System, untrusting: dict[str, str]) -> None:
    # The same story through a proxy that is trusted: each attempt comes from another client, nothing locks.
    trusted = [answer(sign_in(system.url("registry"), ADMIN_USERNAME, WRONG, address())) for _ in range(4)]
    assert trusted == ["401 bad_credentials"] * 4
    assert sign_in(system.url("registry"), ADMIN_USERNAME, ADMIN_PASSWORD, address()).status_code == 200

    # Not trusted: every attempt is the peer's own, whatever address the header claims.
    base = untrusting["registry"]
    claimed = [answer(sign_in(base, ADMIN_USERNAME, WRONG, address())) for _ in range(FREE_SIGN_IN_FAILURES)]
    assert claimed == ["401 bad_credentials"] * FREE_SIGN_IN_FAILURES
    assert answer(sign_in(base, ADMIN_USERNAME, ADMIN_PASSWORD, address("198.51.100"))) == "429 too_many_attempts"


def test_the_tracking_lookup_counts_the_peer_not_the_address_it_claims(system: System,
                                                                       untrusting: dict[str, str]) -> None:
    def lookups(base: str) -> list[int]:
        return [httpx.post(f"{base}/track", json={"code": "1234-5678-9012", "mobile": "09350000000"},
                           headers={"X-Forwarded-For": address("192.0.2")}, timeout=30).status_code
                for _ in range(8)]

    assert 429 not in lookups(system.url("submissions"))  # through the trusted proxy: eight clients
    assert lookups(untrusting["submissions"])[-1] == 429  # one peer, whatever it claims: its burst is spent


@pytest.mark.parametrize("body", [
    {"username": "secre\u0000tary", "password": "x"},
    {"username": ADMIN_USERNAME, "password": "pass\u0000word"},
    {"username": "\u001b[31msecretary", "password": "x"},
    {"username": ADMIN_USERNAME, "password": "\u0007"},
])
def test_control_characters_in_a_sign_in_are_refused_not_a_server_error(system: System, body: dict) -> None:
    base = system.url("registry")
    assert answer(httpx.post(f"{base}/auth/token", json=body, timeout=30)) == "422 invalid_input"
    assert answer(httpx.post(f"{base}/auth/token", data=body, timeout=30)) == "422 invalid_input"  # as a form
    csrf = uuid.uuid4().hex * 2
    page = httpx.post(f"{base}/sign-in", data={**body, "csrf_token": csrf}, cookies={"hami_csrf": csrf}, timeout=30)
    assert page.status_code == 400 and "مقدار واردشده معتبر نیست." in page.text  # next to the field, in Persian
