"""Persian text, Iranian identifiers and Jalali dates: pure helpers, no I/O (DESIGN.md section 6)."""

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime

TEHRAN = ZoneInfo("Asia/Tehran")
ZWNJ = "\u200c"

_LETTERS = str.maketrans({
    "\u064a": "\u06cc",  # Arabic yeh ي -> Persian yeh ی
    "\u0649": "\u06cc",  # alef maksura ى -> ی
    "\u0643": "\u06a9",  # Arabic kaf ك -> Persian keheh ک
    "\u06be": "\u0647",  # heh doachashmee ھ -> ه
    "\u06c1": "\u0647",  # heh goal ہ -> ه
    "\u06d5": "\u0647",  # ae ە -> ه
    "\u06c2": "\u06c0",  # heh goal with hamza ۂ -> ۀ
    "\u0640": None,  # tatweel ـ
})
_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_PERSIAN_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)

_MOBILE = re.compile(r"(?:\+98|0098|98)?0?(9[0-9]{9})", re.ASCII)
_LANDLINE_FULL = re.compile(r"(?:(?:\+98|0098|98)0?|0)?21([1-9][0-9]{7})", re.ASCII)
_LANDLINE_LOCAL = re.compile(r"[1-9][0-9]{7}", re.ASCII)
_JALALI = re.compile(r"([0-9]{4}|[0-9]{2})([/\-.])([0-9]{1,2})\2([0-9]{1,2})", re.ASCII)
_LEGAL_COEFFICIENTS = (29, 27, 23, 19, 17, 29, 27, 23, 19, 17)


# --- text and digits ---------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """Normalise display text: NFKC, Persian ی/ک/ه, no tatweel, single spaces, ZWNJ kept."""
    text = unicodedata.normalize("NFKC", text).translate(_LETTERS)
    text = re.sub(ZWNJ + "+", ZWNJ, text)
    # A ZWNJ next to a space or at either end joins nothing: drop it. `\s` never matches ZWNJ itself.
    text = re.sub(r"[\s\u200c]*\s[\s\u200c]*", " ", text)
    return text.strip(" " + ZWNJ)


def to_ascii_digits(text: str) -> str:
    """Replace Persian and Arabic-Indic digits with ASCII digits."""
    return text.translate(_TO_ASCII)


def to_persian_digits(text: str) -> str:
    """Replace ASCII digits with Persian digits."""
    return text.translate(_TO_PERSIAN)


def _is_separator(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in ("Zs", "Zl", "Zp", "Cf", "Pd") or char in "()"


def normalize_identifier(text: str) -> str:
    """ASCII digits, without spaces, dashes, parentheses, ZWNJ or other invisible separators."""
    text = to_ascii_digits(unicodedata.normalize("NFKC", text))
    return "".join(char for char in text if not _is_separator(char))


def _digits(text: str, length: int) -> list[int] | None:
    value = normalize_identifier(text)
    if re.fullmatch(f"[0-9]{{{length}}}", value, re.ASCII) is None:
        return None
    return [int(char) for char in value]


# --- identifiers -------------------------------------------------------------------------------


def national_id_check_digit(first_nine: str) -> int:
    """The check digit (کد ملی) for the first nine ASCII digits of a national ID."""
    total = sum(int(first_nine[i]) * (10 - i) for i in range(9)) % 11
    return total if total < 2 else 11 - total


def is_valid_national_id(value: str) -> bool:
    """True for a 10-digit national ID (کد ملی) with a correct mod-11 check digit."""
    digits = _digits(value, 10)
    if digits is None or len(set(digits)) == 1:
        return False
    return national_id_check_digit("".join(map(str, digits[:9]))) == digits[9]


def canonical_national_id(value: str) -> str:
    """The national ID as 10 ASCII digits; ValueError if it is not valid."""
    if not is_valid_national_id(value):
        raise ValueError(f"invalid national ID (کد ملی): {value!r}")
    return normalize_identifier(value)


def legal_entity_check_digit(first_ten: str) -> int:
    """The check digit of a legal-entity ID (شناسه ملی) for its first ten ASCII digits."""
    digits = [int(char) for char in first_ten]
    shift = digits[9] + 2
    total = sum((digit + shift) * coef for digit, coef in zip(digits, _LEGAL_COEFFICIENTS, strict=True)) % 11
    return 0 if total == 10 else total


def is_valid_legal_entity_id(value: str) -> bool:
    """True for an 11-digit legal-entity ID (شناسه ملی) with a correct check digit."""
    digits = _digits(value, 11)
    if digits is None or not any(digits):
        return False
    return legal_entity_check_digit("".join(map(str, digits[:10]))) == digits[10]


def canonical_legal_entity_id(value: str) -> str:
    """The legal-entity ID as 11 ASCII digits; ValueError if it is not valid."""
    if not is_valid_legal_entity_id(value):
        raise ValueError(f"invalid legal-entity ID (شناسه ملی): {value!r}")
    return normalize_identifier(value)


def canonical_mobile(value: str) -> str:
    """An Iranian mobile number as 09xxxxxxxxx; ValueError if it is not one."""
    match = _MOBILE.fullmatch(normalize_identifier(value))
    if match is None:
        raise ValueError(f"invalid mobile number: {value!r}")
    return "0" + match.group(1)


def is_valid_mobile(value: str) -> bool:
    """True when canonical_mobile accepts the value."""
    try:
        canonical_mobile(value)
    except ValueError:
        return False
    return True


def mobile_e164(canonical: str) -> str:
    """A mobile number in E.164 form, +989xxxxxxxxx."""
    return "+98" + canonical_mobile(canonical)[1:]


def canonical_tehran_landline(value: str) -> str:
    """A Tehran landline as 021 + 8 digits (a bare 8-digit number gets 021); ValueError otherwise."""
    number = normalize_identifier(value)
    match = _LANDLINE_FULL.fullmatch(number)
    if match is not None:
        return "021" + match.group(1)
    if _LANDLINE_LOCAL.fullmatch(number) is not None:
        return "021" + number
    raise ValueError(f"invalid Tehran landline: {value!r}")


# --- Jalali dates in Tehran time --------------------------------------------------------------


def _jalali_in_tehran(moment: datetime) -> tuple[jdatetime.date, datetime]:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required, got a naive one")
    local = moment.astimezone(TEHRAN)
    return jdatetime.date.fromgregorian(date=local.date()), local


def _digits_for(text: str, persian_digits: bool) -> str:
    return to_persian_digits(text) if persian_digits else text


def format_jalali_date(moment: datetime, *, persian_digits: bool = True) -> str:
    """The Tehran-time Jalali date of an aware datetime, e.g. ۱۴۰۵/۰۸/۰۶."""
    day, _ = _jalali_in_tehran(moment)
    return _digits_for(f"{day.year:04d}/{day.month:02d}/{day.day:02d}", persian_digits)


def format_jalali_datetime(moment: datetime, *, persian_digits: bool = True) -> str:
    """The Tehran-time Jalali date and time of an aware datetime, e.g. ۱۴۰۵/۰۸/۰۶ ۱۴:۳۰."""
    day, local = _jalali_in_tehran(moment)
    text = f"{day.year:04d}/{day.month:02d}/{day.day:02d} {local.hour:02d}:{local.minute:02d}"
    return _digits_for(text, persian_digits)


def format_jalali_long(moment: datetime, *, persian_digits: bool = True) -> str:
    """The Tehran-time Jalali date with the Persian month name, e.g. ۶ آبان ۱۴۰۵."""
    day, _ = _jalali_in_tehran(moment)
    return _digits_for(f"{day.day} {_PERSIAN_MONTHS[day.month - 1]} {day.year}", persian_digits)


def parse_jalali_date(text: str) -> date:
    """The Gregorian date of a Jalali date such as 1405/08/06, 1405-8-6 or 88/3/5 (= 1388/03/05)."""
    cleaned = to_ascii_digits(unicodedata.normalize("NFKC", text))
    cleaned = "".join(char for char in cleaned if unicodedata.category(char) != "Cf").strip()
    match = _JALALI.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"not a Jalali date (expected YYYY/MM/DD): {text!r}")
    year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
    if len(match.group(1)) == 2:
        year += 1300  # 88 means 1388; jdatetime's %y would read it as 1488
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError as error:
        raise ValueError(f"invalid Jalali date {year:04d}/{month:02d}/{day:02d} ({text!r}): {error}") from None


def tehran_day_start_utc(jalali_date_text: str) -> datetime:
    """The UTC instant at which the given Jalali day begins in Tehran."""
    day = parse_jalali_date(jalali_date_text)
    return datetime.combine(day, time(0), tzinfo=TEHRAN).astimezone(UTC)


def tehran_day_end_utc(jalali_date_text: str) -> datetime:
    """The UTC instant at which the given Jalali day ends in Tehran (the next day's start): deadlines."""
    day = parse_jalali_date(jalali_date_text) + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=TEHRAN).astimezone(UTC)
