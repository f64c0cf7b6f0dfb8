"""Pure rules of tracking codes: random, non-sequential, with check digits that catch a mistyped digit or two
swapped neighbours; and the one refusal for a lookup that matches nothing."""

import secrets

from shared.persian import normalize_identifier
from shared.refusals import Kind, Refusal

TRACKING_BODY_DIGITS = 10


def _check_digits(body: str) -> str:
    """ISO 7064 MOD 97-10 check digits: catch every single-digit error and swap of neighbours."""
    return f"{98 - (int(body) * 100) % 97:02d}"


def new_tracking_code() -> str:
    """A random, non-sequential 12-digit code with check digits, grouped for reading out: 1234-5678-9012."""
    body = "".join(secrets.choice("0123456789") for _ in range(TRACKING_BODY_DIGITS))
    return format_tracking_code(body + _check_digits(body))


def format_tracking_code(digits: str) -> str:
    """Twelve digits grouped as the code is printed and read out."""
    return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"


def is_valid_tracking_code(code: str) -> bool:
    """True when the (possibly Persian-digit, spaced) code has the right length and check digits."""
    digits = normalize_identifier(code)
    return (len(digits) == TRACKING_BODY_DIGITS + 2 and digits.isascii() and digits.isdigit()
            and _check_digits(digits[:TRACKING_BODY_DIGITS]) == digits[TRACKING_BODY_DIGITS:])


def canonical_tracking_code(code: str) -> str:
    """The code as stored (1234-5678-9012), from however it was typed; refused when it cannot be a code."""
    if not is_valid_tracking_code(code):
        raise Refusal(Kind.INVALID, "invalid_tracking_code", "کد رهگیری درست نیست؛ آن را دوباره بررسی کنید.",
                      "This is not a valid tracking code; please check it.")
    return format_tracking_code(normalize_identifier(code))


def no_match() -> Refusal:
    """The one 'not found' for a wrong code and a wrong mobile alike, so the lookup tells nobody which was wrong."""
    return Refusal(Kind.NOT_FOUND, "not_found", "اثری با این کد رهگیری و شماره همراه پیدا نشد.",
                   "No work matches this tracking code and mobile number.")
