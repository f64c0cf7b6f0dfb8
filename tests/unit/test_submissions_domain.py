"""Tracking codes and submitter validation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.submissions.domain import (
    canonical_submitter,
    check_category,
    is_valid_tracking_code,
    new_tracking_code,
)
from shared.errors import ApiError


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


def test_a_submitter_is_normalised() -> None:
    submitter = canonical_submitter("  علي   كريمی ", "۰۴۹۹۳۷۰۸۹۹", "+98 912 345 6789")
    assert submitter.name == "علی کریمی"
    assert submitter.national_id == "0499370899" and submitter.mobile == "09123456789"


@pytest.mark.parametrize(("name", "national_id", "mobile", "code"), [
    ("علی", "0499370898", "09123456789", "invalid_national_id"),
    ("علی", "0499370899", "0912345678", "invalid_mobile"),
    ("ع", "0499370899", "09123456789", "invalid_name"),
])
def test_bad_submitters_are_refused_with_a_code(name: str, national_id: str, mobile: str, code: str) -> None:
    with pytest.raises(ApiError) as refused:
        canonical_submitter(name, national_id, mobile)
    assert refused.value.code == code and refused.value.fa and refused.value.en


def test_unknown_categories_are_refused() -> None:
    assert check_category("welfare") == "welfare"
    with pytest.raises(ApiError) as refused:
        check_category("sports")
    assert refused.value.code == "unknown_category"
