"""Pure delivery rules: opt-outs stop only courtesies, quiet hours in Tehran time, retry backoff, SMS length."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.notifications.delivery.domain import (
    DEAD,
    FAILED,
    QuietHours,
    after_failure,
    may_send,
    redact,
    retry_delay,
    sms_parts,
    sms_send_time,
)
from shared.persian import TEHRAN


def tehran(hour: int, minute: int = 0, day: int = 1) -> datetime:
    """An aware moment at a Tehran wall-clock time."""
    return datetime(2026, 10, day, hour, minute, tzinfo=TEHRAN)


@pytest.mark.parametrize(("essential", "opted_out", "sent"), [
    (True, True, True), (True, False, True), (False, False, True), (False, True, False)])
def test_opting_out_stops_only_non_essential_messages(essential: bool, opted_out: bool, sent: bool) -> None:
    assert may_send(essential=essential, opted_out=opted_out) is sent


@pytest.mark.parametrize(("moment", "quiet"), [
    (tehran(20, 59), False), (tehran(21, 0), True), (tehran(23, 30), True), (tehran(3), True),
    (tehran(7, 59), True), (tehran(8, 0), False), (tehran(12), False)])
def test_quiet_hours_span_midnight_in_tehran_time(moment: datetime, quiet: bool) -> None:
    assert QuietHours.parse("21:00-08:00").contains(moment) is quiet
    assert QuietHours.parse("21:00-08:00").contains(moment.astimezone(UTC)) is quiet


def test_an_sms_at_night_waits_for_the_morning_with_a_bounded_spread() -> None:
    quiet = QuietHours.parse("21:00-08:00")
    assert sms_send_time(tehran(10), quiet, spread_seconds=900) == tehran(10)
    evening = sms_send_time(tehran(22), quiet, spread_seconds=900, rand=lambda: 0.5)
    assert evening == tehran(8, 7, day=2) + timedelta(seconds=30)
    early = sms_send_time(tehran(6), quiet, spread_seconds=900, rand=lambda: 0.0)
    assert early == tehran(8)


@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)),
       st.integers(0, 23), st.integers(0, 23))
def test_the_next_allowed_moment_is_never_quiet_and_never_earlier(moment, start, end) -> None:
    quiet = QuietHours.parse(f"{start:02d}:00-{end:02d}:00")
    allowed = quiet.next_allowed(moment)
    assert allowed >= moment and not quiet.contains(allowed)
    assert allowed - moment <= timedelta(hours=24)


def test_equal_start_and_end_means_never_quiet_and_bad_text_is_refused() -> None:
    assert not QuietHours.parse("00:00-00:00").contains(tehran(3))
    with pytest.raises(ValueError):
        QuietHours.parse("9pm-8am")


@given(st.integers(1, 40), st.floats(0, 1))
def test_retry_delays_grow_exponentially_within_jitter_and_cap(attempts: int, rand: float) -> None:
    delay = retry_delay(attempts, base=30, cap=7200, rand=lambda: rand)
    ceiling = min(7200, 30 * 2 ** (attempts - 1))
    assert ceiling / 2 <= delay <= ceiling


def test_failures_retry_until_the_limit_permanent_ones_die_at_once() -> None:
    assert after_failure(1, permanent=False, max_attempts=10) == FAILED
    assert after_failure(10, permanent=False, max_attempts=10) == DEAD
    assert after_failure(1, permanent=True, max_attempts=10) == DEAD


def test_persian_sms_counts_unicode_parts() -> None:
    assert sms_parts("a" * 160) == 1 and sms_parts("a" * 161) == 2
    assert sms_parts("س" * 70) == 1 and sms_parts("س" * 71) == 2 and sms_parts("س" * 135) == 3


def test_keys_are_redacted_from_provider_errors() -> None:
    assert redact("401: bad key sk-live-123 for sk-live-123", ["sk-live-123", ""]) == "401: bad key *** for ***"
