"""Pure rules of signing in: failures lock a username at one client for a doubling, capped while; a client that
fails too often is locked whatever the username; whose district an account belongs to."""

from datetime import UTC, datetime, timedelta

import pytest

from services.registry.identity.domain import (
    CLIENT_FAILURES,
    CLIENT_LOCK,
    CLIENT_WINDOW,
    ClientFailures,
    account_district,
    client_after_failure,
    client_key,
    lock_in_force,
    locked_until,
    normal_username,
    sign_in_lock,
    too_many_attempts,
)

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def test_five_failures_are_free_then_the_lock_doubles_up_to_half_an_hour() -> None:
    assert [sign_in_lock(n) for n in (1, 4)] == [None, None]
    assert [sign_in_lock(n) for n in (5, 6, 7)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert sign_in_lock(40) == timedelta(minutes=30)
    assert locked_until(4, NOW) is None and locked_until(6, NOW) == NOW + timedelta(minutes=2)


def test_the_lock_says_when_to_come_back() -> None:
    refusal = too_many_attempts(NOW + timedelta(seconds=90), NOW)
    assert refusal.code == "too_many_attempts" and refusal.details == {"retry_after": 90}
    assert normal_username("  Staff.D07 ") == "staff.d07"


def test_a_client_failing_more_than_its_allowance_in_a_window_is_locked_whatever_the_username() -> None:
    counted = None
    for n in range(1, CLIENT_FAILURES + 1):
        counted = client_after_failure(counted, NOW + timedelta(seconds=n))
        assert counted.failures == n and counted.locked_until is None and counted.window_started == NOW + timedelta(
            seconds=1)
    at = NOW + timedelta(minutes=5)
    locked = client_after_failure(counted, at)
    assert locked.failures == CLIENT_FAILURES + 1 and locked.locked_until == at + CLIENT_LOCK


def test_a_new_window_starts_once_the_last_has_passed() -> None:
    old = ClientFailures(window_started=NOW, failures=CLIENT_FAILURES)
    later = NOW + CLIENT_WINDOW
    assert client_after_failure(old, later) == ClientFailures(window_started=later, failures=1)


def test_the_lock_in_force_is_the_latest_one_still_running() -> None:
    soon, later = NOW + timedelta(minutes=1), NOW + timedelta(minutes=9)
    assert lock_in_force(None, None, now=NOW) is None
    assert lock_in_force(NOW - timedelta(seconds=1), None, now=NOW) is None
    assert lock_in_force(soon, later, now=NOW) == later and lock_in_force(soon, None, now=NOW) == soon


@pytest.mark.parametrize(("host", "key"), [
    ("203.0.113.5", "203.0.113.5"),
    ("::ffff:203.0.113.5", "203.0.113.5"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),  # the same subscriber, another address
    (None, "unknown"),
    ("", "unknown"),
    ("testclient", "testclient"),
])
def test_the_client_is_an_address_or_an_ipv6_subscribers_64(host: str | None, key: str) -> None:
    assert client_key(host) == key


def test_an_account_belongs_to_the_one_district_its_standing_is_in() -> None:
    assert account_district([7], None, False) == 7
    assert account_district([7, 7], None, False) == 7
    assert account_district([7, 12], None, False) is None  # two districts: the festival secretary's
    assert account_district([7, None], None, False) is None  # also on a festival body
    assert account_district([], None, False) is None
    assert account_district([], 7, True) == 7  # an organisation's account: the organisation's district
    assert account_district([], None, True) is None
