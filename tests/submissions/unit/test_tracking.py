"""Tracking codes: random, grouped, with check digits that catch every typing error they promise to, read back
however they were typed; and the public lookup's rate limiter."""

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from services.submissions.tracking.domain import (
    canonical_tracking_code,
    format_tracking_code,
    is_valid_tracking_code,
    new_tracking_code,
)
from services.submissions.tracking.ratelimit import TokenBucketLimiter
from shared.refusals import Refusal

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_tracking_codes_are_grouped_digits_with_check_digits() -> None:
    code = new_tracking_code()
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert is_valid_tracking_code(code)


def test_tracking_codes_are_not_sequential_or_repeated() -> None:
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000


@given(st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_any_single_digit_error_is_caught(position: int, shift: int) -> None:
    digits = list(new_tracking_code().replace("-", ""))
    digits[position] = str((int(digits[position]) + shift) % 10)
    assert not is_valid_tracking_code("".join(digits))


def test_a_swap_of_neighbouring_digits_is_caught() -> None:
    for _ in range(200):
        digits = new_tracking_code().replace("-", "")
        i = next((i for i in range(11) if digits[i] != digits[i + 1]), None)
        if i is None:
            continue
        swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
        assert not is_valid_tracking_code(swapped)


def test_a_code_read_back_in_persian_digits_with_spaces_is_accepted() -> None:
    code = new_tracking_code()
    spoken = code.replace("-", " ").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert is_valid_tracking_code(spoken)


@pytest.mark.parametrize("code", ["", "1234", "abcd-efgh-ijkl", "1234-5678-90123"])
def test_malformed_codes_are_invalid(code: str) -> None:
    assert not is_valid_tracking_code(code)


def test_tracking_codes_are_read_back_however_they_were_typed() -> None:
    code = new_tracking_code()
    typed = " " + code.replace("-", " ").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) + " "
    assert canonical_tracking_code(typed) == code
    with pytest.raises(Refusal) as refused:
        canonical_tracking_code(code[:-1] + str((int(code[-1]) + 1) % 10))
    assert refused.value.code == "invalid_tracking_code"


codes = st.builds(lambda _: new_tracking_code(), st.integers())


@given(codes, st.sampled_from(["-", " ", "", " - ", "\u200c", "\u2013"]),
       st.sampled_from([{}, PERSIAN_DIGITS, ARABIC_DIGITS]))
def test_a_code_read_out_in_any_digits_and_grouping_is_the_same_code(code: str, separator: str, digits: dict) -> None:
    spoken = code.replace("-", separator).translate(digits)
    assert is_valid_tracking_code(spoken)
    assert canonical_tracking_code(spoken) == code


@given(codes, st.integers(0, 11), st.integers(1, 9))
def test_every_single_digit_mistake_is_caught(code: str, position: int, shift: int) -> None:
    digits = list(code.replace("-", ""))
    digits[position] = str((int(digits[position]) + shift) % 10)
    assert not is_valid_tracking_code(format_tracking_code("".join(digits)))


@given(codes, st.integers(0, 10))
def test_every_swap_of_neighbouring_digits_is_caught(code: str, position: int) -> None:
    digits = code.replace("-", "")
    assume(digits[position] != digits[position + 1])
    swapped = digits[:position] + digits[position + 1] + digits[position] + digits[position + 2:]
    assert not is_valid_tracking_code(swapped)


@given(st.text(alphabet=string.digits, min_size=0, max_size=20))
def test_only_twelve_digit_strings_can_be_codes(digits: str) -> None:
    if len(digits) != 12:
        assert not is_valid_tracking_code(digits)


@given(codes)
def test_codes_have_twelve_ascii_digits_in_three_groups(code: str) -> None:
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4] and all(g.isascii() and g.isdigit() for g in groups)
    assert int(code.replace("-", "")) % 97 == 1  # ISO 7064 MOD 97-10


# --- rate limiter -------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_requests_wait_for_the_refill() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(per_minute=6, burst=3, clock=clock)
    assert [limiter.retry_after("1.2.3.4") for _ in range(3)] == [0, 0, 0]
    assert limiter.retry_after("1.2.3.4") == 10  # one token per 10 s
    assert limiter.retry_after("5.6.7.8") == 0  # another client has its own bucket
    clock.now += 10
    assert limiter.retry_after("1.2.3.4") == 0
    assert limiter.retry_after("1.2.3.4") > 0


def test_the_limiter_forgets_the_least_recent_clients_beyond_its_size() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(per_minute=1, burst=1, max_keys=2, clock=clock)
    for client in ("a", "b", "c"):
        assert limiter.retry_after(client) == 0
    assert limiter.retry_after("c") > 0 and limiter.retry_after("a") == 0  # 'a' was forgotten: a full bucket


@given(st.lists(st.floats(min_value=0, max_value=30), max_size=50))
def test_no_client_gets_more_than_the_burst_plus_the_refill(gaps: list[float]) -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(per_minute=12, burst=4, clock=clock)
    start, allowed = clock.now, 0
    for gap in gaps:
        clock.now += gap
        allowed += limiter.take("x") == 0.0
    assert allowed <= 4 + (clock.now - start) * 12 / 60 + 1e-9
