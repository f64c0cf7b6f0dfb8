"""Pure submissions rules: categories, submitter validation, tracking codes."""

import secrets
from dataclasses import dataclass

from shared.errors import ApiError
from shared.persian import canonical_mobile, canonical_national_id, normalize_identifier, normalize_text

# The festival's three themes (editable per call once editions arrive).
CATEGORIES: dict[str, str] = {
    "entrepreneurship": "کارآفرینی",
    "welfare": "رفاه و خدمات اجتماعی",
    "participation": "مشارکت‌های مردمی",
}
TRACKING_BODY_DIGITS = 10


@dataclass(frozen=True)
class Submitter:
    """A citizen who submits a work, in canonical form."""

    name: str
    national_id: str
    mobile: str


def check_category(category: str) -> str:
    """The category code, or a refusal naming the allowed ones."""
    if category not in CATEGORIES:
        raise ApiError(422, "unknown_category", "موضوع انتخاب‌شده در این فراخوان نیست.",
                       "Unknown category.", sorted(CATEGORIES))
    return category


def canonical_submitter(name: str, national_id: str, mobile: str) -> Submitter:
    """Normalise and validate a submitter; refusals carry a code per field."""
    try:
        national_id = canonical_national_id(national_id)
    except ValueError:
        raise ApiError(422, "invalid_national_id", "کد ملی معتبر نیست.", "The national ID is not valid.") from None
    try:
        mobile = canonical_mobile(mobile)
    except ValueError:
        raise ApiError(422, "invalid_mobile", "شماره همراه معتبر نیست.", "The mobile number is not valid.") from None
    name = normalize_text(name)
    if len(name) < 2:
        raise ApiError(422, "invalid_name", "نام ارسال‌کننده را کامل بنویسید.", "The submitter's name is missing.")
    return Submitter(name=name, national_id=national_id, mobile=mobile)


def _check_digits(body: str) -> str:
    """ISO 7064 MOD 97-10 check digits: catch every single-digit error and swap of neighbours."""
    return f"{98 - (int(body) * 100) % 97:02d}"


def new_tracking_code() -> str:
    """A random, non-sequential 12-digit code with check digits, grouped for reading out: 1234-5678-9012."""
    body = "".join(secrets.choice("0123456789") for _ in range(TRACKING_BODY_DIGITS))
    digits = body + _check_digits(body)
    return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"


def is_valid_tracking_code(code: str) -> bool:
    """True when the (possibly Persian-digit, spaced) code has the right length and check digits."""
    digits = normalize_identifier(code)
    return (len(digits) == TRACKING_BODY_DIGITS + 2 and digits.isascii() and digits.isdigit()
            and _check_digits(digits[:TRACKING_BODY_DIGITS]) == digits[TRACKING_BODY_DIGITS:])
