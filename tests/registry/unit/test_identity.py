"""Pure rules of signing in: repeated failures lock a username for a doubling, capped while."""

from datetime import UTC, datetime, timedelta

from services.registry.identity.domain import locked_until, normal_username, sign_in_lock, too_many_attempts

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
