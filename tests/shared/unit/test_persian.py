"""Unit tests for shared.persian: text normalisation, Iranian identifiers, Jalali dates in Tehran time."""

from datetime import UTC, date, datetime, timedelta, timezone

import jdatetime
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.persian import (
    canonical_legal_entity_id,
    canonical_mobile,
    canonical_national_id,
    canonical_tehran_landline,
    format_jalali_date,
    format_jalali_datetime,
    format_jalali_long,
    is_valid_legal_entity_id,
    is_valid_mobile,
    is_valid_national_id,
    legal_entity_check_digit,
    mobile_e164,
    national_id_check_digit,
    normalize_identifier,
    normalize_text,
    parse_jalali_date,
    tehran_day_start_utc,
    to_ascii_digits,
    to_persian_digits,
)

ZWNJ = "\u200c"

# --- text ----------------------------------------------------------------------------------------


def test_arabic_yeh_and_kaf_become_persian() -> None:
    assert normalize_text("علي") == "علی"
    assert normalize_text("كتاب") == "کتاب"
    assert normalize_text("مصطفى") == "مصطفی"


def test_presentation_forms_and_heh_variants() -> None:
    assert normalize_text("\ufedb\ufe98\ufe8e\ufe8f") == "کتاب"  # presentation forms of كتاب
    assert normalize_text("\u06be\u06c1\u06d5") == "ههه"
    assert normalize_text("مدرسة") == "مدرسة"  # teh marbuta is left alone


def test_tatweel_removed_and_whitespace_collapsed() -> None:
    assert normalize_text("  سـلام \t\n  دنـیا  ") == "سلام دنیا"
    assert normalize_text("a\u00a0\u00a0b") == "a b"  # no-break spaces


def test_zwnj_kept_inside_words() -> None:
    assert normalize_text("می\u200cخواهم") == "می\u200cخواهم"
    assert normalize_text("  کتاب\u200cها   و  دفتر\u200cها ") == f"کتاب{ZWNJ}ها و دفتر{ZWNJ}ها"


def test_stray_zwnj_next_to_spaces_or_at_edges_removed() -> None:
    assert normalize_text(f"{ZWNJ}می{ZWNJ}{ZWNJ}خواهم {ZWNJ} برم{ZWNJ}") == f"می{ZWNJ}خواهم برم"


def test_display_digits_unchanged() -> None:
    assert normalize_text("جشنواره ۱۴۰۵ و 2026") == "جشنواره ۱۴۰۵ و 2026"


def test_digit_conversion() -> None:
    assert to_ascii_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert to_ascii_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert to_ascii_digits("کد ۱۲a") == "کد 12a"
    assert to_persian_digits("1405/08/06") == "۱۴۰۵/۰۸/۰۶"


def test_normalize_identifier() -> None:
    assert normalize_identifier("۰۹۱۲ - ۳۴۵ ۶۷۸۹") == "09123456789"
    assert normalize_identifier(f"049{ZWNJ}9370\u200f899") == "0499370899"
    assert normalize_identifier("(021) 8888\u20138888") == "02188888888"
    assert normalize_identifier("\uff10\uff19") == "09"  # full-width digits


@given(st.text(alphabet="0123456789"))
def test_digit_round_trip(digits: str) -> None:
    assert to_ascii_digits(to_persian_digits(digits)) == digits


@given(st.text())
def test_normalize_text_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


# --- national ID (کد ملی) ------------------------------------------------------------------------

# Each checked by hand: 4608968882 -> 4*10+6*9+0*8+8*7+9*6+6*5+8*4+8*3+8*2 = 306, 306 % 11 = 9, 11 - 9 = 2.
VALID_NATIONAL_IDS = [
    "0499370899",  # 266 % 11 = 2 -> 9
    "0076229645",
    "1583250689",
    "4608968882",
    "1234567891",  # 210 % 11 = 1 -> check digit is the remainder itself
    "9876543210",  # 330 % 11 = 0 -> 0
    "0000000061",  # 6*2 = 12, 12 % 11 = 1 -> 1
]


@pytest.mark.parametrize("value", VALID_NATIONAL_IDS)
def test_valid_national_ids(value: str) -> None:
    assert is_valid_national_id(value)
    assert canonical_national_id(value) == value


def test_national_id_check_digit_by_hand() -> None:
    assert national_id_check_digit("049937089") == 9
    assert national_id_check_digit("123456789") == 1
    assert national_id_check_digit("987654321") == 0


@pytest.mark.parametrize(
    "value",
    [
        "0499370898",  # wrong check digit
        "1234567890",  # wrong check digit
        "049937089",  # 9 digits
        "04993708990",  # 11 digits
        "",
        "1111111111",  # all the same digit (its checksum happens to pass)
        "0000000000",
        "abcdefghij",
        "04993708x9",
        "0499370899\n0",
        "\u0664\u0669\u06f9",  # short, Arabic-Indic digits
    ],
)
def test_invalid_national_ids(value: str) -> None:
    assert not is_valid_national_id(value)
    with pytest.raises(ValueError):
        canonical_national_id(value)


def test_all_same_digit_ids_pass_the_checksum_but_are_rejected() -> None:
    for digit in "0123456789":
        assert national_id_check_digit(digit * 9) == int(digit)  # d * 54 % 11 gives back d
        assert not is_valid_national_id(digit * 10)


def test_national_id_with_persian_digits_and_separators() -> None:
    assert canonical_national_id("۰۴۹۹۳۷۰۸۹۹") == "0499370899"
    assert canonical_national_id("٠٤٩٩٣٧٠٨٩٩") == "0499370899"
    assert canonical_national_id(" 049-937089-9 ") == "0499370899"
    assert canonical_national_id(f"۰۴۹{ZWNJ}۹۳۷۰۸۹۹") == "0499370899"


nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda s: len(set(s)) > 1)


@given(nine_digits)
def test_generated_national_ids_valid_and_wrong_check_digit_invalid(first_nine: str) -> None:
    check = national_id_check_digit(first_nine)
    assert is_valid_national_id(first_nine + str(check))
    assert is_valid_national_id(to_persian_digits(first_nine + str(check)))
    for other in set(range(10)) - {check}:
        assert not is_valid_national_id(first_nine + str(other))


# --- legal-entity ID (شناسه ملی) ----------------------------------------------------------------

# 12345678906 by hand: shift 0+2; (1+2)*29 + (2+2)*27 + ... + (0+2)*17 = 1491, 1491 % 11 = 6.
# 10000000010: shift 1+2; sum 736, 736 % 11 = 10, which maps to check digit 0.
VALID_LEGAL_IDS = ["10380284790", "12345678906", "10000000010", "10100387728"]


@pytest.mark.parametrize("value", VALID_LEGAL_IDS)
def test_valid_legal_entity_ids(value: str) -> None:
    assert is_valid_legal_entity_id(value)
    assert canonical_legal_entity_id(value) == value


def test_legal_entity_check_digit_by_hand() -> None:
    assert legal_entity_check_digit("1234567890") == 6
    assert legal_entity_check_digit("1000000001") == 0  # remainder 10
    assert legal_entity_check_digit("1010038772") == 8  # so 10100387725, sometimes quoted, fails


@pytest.mark.parametrize(
    "value",
    ["10100387725", "12345678900", "00000000000", "1038028479", "103802847900", "1038028479a", ""],
)
def test_invalid_legal_entity_ids(value: str) -> None:
    assert not is_valid_legal_entity_id(value)
    with pytest.raises(ValueError):
        canonical_legal_entity_id(value)


def test_legal_entity_id_with_persian_digits() -> None:
    assert canonical_legal_entity_id("۱۰۳۸۰۲۸۴۷۹۰") == "10380284790"


@given(st.text(alphabet="0123456789", min_size=10, max_size=10).filter(lambda s: s != "0" * 10))
def test_generated_legal_entity_ids(first_ten: str) -> None:
    check = legal_entity_check_digit(first_ten)
    assert is_valid_legal_entity_id(first_ten + str(check))
    for other in set(range(10)) - {check}:
        assert not is_valid_legal_entity_id(first_ten + str(other))


# --- phone numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "09123456789",
        "9123456789",
        "+989123456789",
        "00989123456789",
        "989123456789",
        "+98 912 345 6789",
        "+98 (0)912-345-6789",
        "۰۹۱۲۳۴۵۶۷۸۹",
        "۰۹۱۲-۳۴۵-۶۷۸۹",
        "٠٩١٢٣٤٥٦٧٨٩",
        " 0912 345 67 89 ",
    ],
)
def test_mobile_forms(value: str) -> None:
    assert canonical_mobile(value) == "09123456789"
    assert is_valid_mobile(value)
    assert mobile_e164(value) == "+989123456789"


@pytest.mark.parametrize(
    "value",
    [
        "02188888888",  # Tehran landline
        "0812345678",  # 10 digits starting 08
        "0912345678",  # too short
        "091234567890",  # too long
        "0912abc6789",
        "+19123456789",
        "08123456789",  # not a mobile prefix
        "",
        "+98",
    ],
)
def test_invalid_mobiles(value: str) -> None:
    assert not is_valid_mobile(value)
    with pytest.raises(ValueError):
        canonical_mobile(value)


def test_mobile_e164() -> None:
    assert mobile_e164("09351234567") == "+989351234567"
    with pytest.raises(ValueError):
        mobile_e164("12345")


@given(st.sampled_from(["0", "", "+98", "0098", "98"]), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_canonical_mobile_idempotent(prefix: str, rest: str) -> None:
    canonical = canonical_mobile(prefix + "9" + rest)
    assert canonical == "09" + rest
    assert canonical_mobile(canonical) == canonical
    assert canonical_mobile(mobile_e164(canonical)) == canonical
    assert canonical_mobile(to_persian_digits(canonical)) == canonical


@pytest.mark.parametrize(
    "value",
    [
        "02188888888",
        "88888888",
        "+982188888888",
        "00982188888888",
        "+98 21 8888 8888",
        "۰۲۱-۸۸۸۸۸۸۸۸",
        "(021) 88888888",
    ],
)
def test_tehran_landline_forms(value: str) -> None:
    assert canonical_tehran_landline(value) == "02188888888"


@pytest.mark.parametrize(
    "value", ["0218888888", "021888888888", "03188888888", "09123456789", "8888888", "02108888888", "abc", ""]
)
def test_invalid_tehran_landlines(value: str) -> None:
    with pytest.raises(ValueError):
        canonical_tehran_landline(value)


# --- Jalali dates --------------------------------------------------------------------------------


def test_known_date() -> None:
    moment = datetime(2026, 10, 28, 10, 0, tzinfo=UTC)  # 13:30 in Tehran
    assert str(jdatetime.date.fromgregorian(date=date(2026, 10, 28))) == "1405-08-06"
    assert format_jalali_date(moment) == "۱۴۰۵/۰۸/۰۶"
    assert format_jalali_date(moment, persian_digits=False) == "1405/08/06"
    assert format_jalali_datetime(moment, persian_digits=False) == "1405/08/06 13:30"
    assert format_jalali_datetime(moment) == "۱۴۰۵/۰۸/۰۶ ۱۳:۳۰"
    assert format_jalali_long(moment) == "۶ آبان ۱۴۰۵"
    assert format_jalali_long(moment, persian_digits=False) == "6 آبان 1405"


def test_late_utc_evening_is_next_day_in_tehran() -> None:
    before = datetime(2026, 10, 27, 20, 29, tzinfo=UTC)  # 23:59 Tehran, 1405/08/05
    after = datetime(2026, 10, 27, 20, 30, tzinfo=UTC)  # 00:00 Tehran, 1405/08/06
    assert format_jalali_datetime(before, persian_digits=False) == "1405/08/05 23:59"
    assert format_jalali_datetime(after, persian_digits=False) == "1405/08/06 00:00"


def test_other_timezones_are_converted() -> None:
    moment = datetime(2026, 10, 28, 1, 0, tzinfo=timezone(timedelta(hours=5)))  # 2026-10-27 20:00Z
    assert format_jalali_datetime(moment, persian_digits=False) == "1405/08/05 23:30"


def test_no_daylight_saving_since_2022() -> None:
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert format_jalali_datetime(summer, persian_digits=False) == "1405/04/10 15:30"


def test_naive_datetime_rejected() -> None:
    for formatter in (format_jalali_date, format_jalali_datetime, format_jalali_long):
        with pytest.raises(ValueError):
            formatter(datetime(2026, 10, 28, 10, 0))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1405/08/06", date(2026, 10, 28)),
        ("1405-8-6", date(2026, 10, 28)),
        ("1405.08.06", date(2026, 10, 28)),
        ("۱۴۰۵/۰۸/۰۶", date(2026, 10, 28)),
        (" ۱۴۰۵/۸/۶ ", date(2026, 10, 28)),
        ("1405/01/01", date(2026, 3, 21)),
        ("1403/12/30", date(2025, 3, 20)),  # 1403 is a leap year
        ("88/3/5", date(2009, 5, 26)),  # 1388/03/05, not 1488
    ],
)
def test_parse_jalali_date(text: str, expected: date) -> None:
    assert parse_jalali_date(text) == expected


def test_two_digit_year_is_13yy() -> None:
    assert parse_jalali_date("88/3/5") == jdatetime.date(1388, 3, 5).togregorian()
    assert parse_jalali_date("05/08/06") == jdatetime.date(1305, 8, 6).togregorian()  # not 1405
    assert parse_jalali_date("99/12/30") == jdatetime.date(1399, 12, 30).togregorian()


@pytest.mark.parametrize(
    "text",
    [
        "1405/13/01",  # no 13th month
        "1405/00/10",
        "1405/12/30",  # 1405 is not a leap year
        "1405/12/31",
        "1405/07/31",  # second half of the year has 30-day months
        "1405/08/00",
        "1405/08",
        "1405/08/06/01",
        "1405/08-06",  # mixed separators
        "140/08/06",
        "۱۴۰۵/۰۸/۳۲",
        "2026-10-28T00:00",
        "",
        "tomorrow",
    ],
)
def test_invalid_jalali_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_jalali_date(text)


def test_invalid_date_message_is_clear() -> None:
    with pytest.raises(ValueError, match="1405/13/01"):
        parse_jalali_date("1405/13/01")


def test_tehran_day_start_utc() -> None:
    assert tehran_day_start_utc("1405/08/06") == datetime(2026, 10, 27, 20, 30, tzinfo=UTC)
    assert tehran_day_start_utc("۱۴۰۵/۰۸/۰۶").tzinfo == UTC
    # During 1400 Iran still had daylight saving (+04:30 in summer).
    assert tehran_day_start_utc("1400/04/01") == datetime(2021, 6, 21, 19, 30, tzinfo=UTC)


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)))
def test_format_then_parse_round_trip(moment: datetime) -> None:
    text = format_jalali_date(moment)
    start = tehran_day_start_utc(text)
    assert start <= moment < start + timedelta(hours=25)
    assert format_jalali_date(start) == text
