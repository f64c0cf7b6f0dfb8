"""Pure submissions rules: categories, submitters, calls, statuses, search keys and tracking codes."""

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.persian import (
    canonical_legal_entity_id,
    canonical_mobile,
    canonical_national_id,
    format_jalali_date,
    normalize_identifier,
    normalize_text,
    tehran_day_end_utc,
    tehran_day_start_utc,
    to_ascii_digits,
)
from shared.refusals import Kind, Refusal

# The festival's three themes: the default categories of a new call (editable per call).
CATEGORIES: dict[str, str] = {
    "entrepreneurship": "کارآفرینی",
    "welfare": "رفاه و خدمات اجتماعی",
    "participation": "مشارکت‌های مردمی",
}
CATEGORY_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}", re.ASCII)
TRACKING_BODY_DIGITS = 10

# Statuses of a work, in Persian for people; the evaluation moves them, submissions keeps the history.
STATUSES: dict[str, str] = {
    "received": "دریافت شد",
    "in_district_evaluation": "در حال داوری در منطقه",
    "selected_by_district": "برگزیده‌ی منطقه",
    "not_selected_by_district": "برگزیده‌ی منطقه نشد",
    "with_jury": "در حال داوری در کمیته داوری",
    "awarded": "برگزیده‌ی جشنواره",
    "not_awarded": "برگزیده‌ی جشنواره نشد",
    "withdrawn": "انصراف داده شد",
}
RECEIVED, WITHDRAWN = "received", "withdrawn"
# Forward moves only; a step may be skipped (evaluation events can arrive late), never undone.
TRANSITIONS: dict[str, frozenset[str]] = {
    "received": frozenset({"in_district_evaluation", "selected_by_district", "not_selected_by_district",
                           "withdrawn"}),
    "in_district_evaluation": frozenset({"selected_by_district", "not_selected_by_district"}),
    "selected_by_district": frozenset({"with_jury", "awarded", "not_awarded"}),
    "with_jury": frozenset({"awarded", "not_awarded"}),
    "not_selected_by_district": frozenset(),
    "awarded": frozenset(),
    "not_awarded": frozenset(),
    "withdrawn": frozenset(),
}
CALL_STATES = ("draft", "open", "closed")


# --- categories and statuses --------------------------------------------------------------------


def check_category(category: str, categories: dict[str, str] = CATEGORIES) -> str:
    """The category code, or a refusal naming the allowed ones."""
    if category not in categories:
        raise Refusal(Kind.INVALID, "unknown_category", "موضوع انتخاب‌شده در این فراخوان نیست.",
                       "Unknown category.", sorted(categories))
    return category


def check_categories(categories: dict[str, str]) -> dict[str, str]:
    """A call's categories: at least one, codes like 'welfare', Persian names normalised."""
    if not categories:
        raise Refusal(Kind.INVALID, "no_categories", "فراخوان باید دست‌کم یک موضوع داشته باشد.",
                       "A call needs at least one category.")
    bad = sorted(code for code, name in categories.items()
                 if not CATEGORY_CODE.fullmatch(code) or not normalize_text(name))
    if bad:
        raise Refusal(Kind.INVALID, "invalid_category", "کد یا نام موضوع معتبر نیست.",
                      "Invalid category code or name.", bad)
    return {code: normalize_text(name) for code, name in categories.items()}


def check_transition(current: str, new: str) -> str:
    """The new status when the work may move there from `current`; 409 otherwise."""
    if new not in STATUSES:
        raise Refusal(Kind.INVALID, "unknown_status", "وضعیت معتبر نیست.", "Unknown status.", sorted(STATUSES))
    if new not in TRANSITIONS[current]:
        raise Refusal(Kind.CONFLICT, "invalid_status_transition",
                      "اثر نمی‌تواند از این وضعیت به وضعیت خواسته‌شده برود.",
                       f"A work cannot move from {current} to {new}.", {"from": current, "to": new})
    return new


def check_withdrawable(status: str) -> None:
    """Withdrawal is allowed until the evaluation starts."""
    if status == WITHDRAWN:
        raise Refusal(Kind.CONFLICT, "already_withdrawn", "این اثر پیش‌تر پس گرفته شده است.",
                      "The work was already withdrawn.")
    if status != RECEIVED:
        raise Refusal(Kind.CONFLICT, "evaluation_started", "داوری این اثر آغاز شده و دیگر نمی‌توان آن را پس گرفت.",
                       "The evaluation of this work has started; it can no longer be withdrawn.")


def check_editable(status: str) -> None:
    """A work is edited only while it waits for evaluation (and while its call is open)."""
    if status != RECEIVED:
        raise Refusal(Kind.CONFLICT, "work_not_editable", "این اثر دیگر قابل ویرایش نیست.",
                       "This work can no longer be changed.", {"status": status})


# --- submitters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitter:
    """A citizen who submits a work (or an organisation's representative), in canonical form."""

    name: str
    national_id: str
    mobile: str


@dataclass(frozen=True)
class Organisation:
    """A registered organisation that submits a work through its representative."""

    code: str
    name: str
    legal_entity_id: str | None
    representative: Submitter


def canonical_submitter(name: str, national_id: str, mobile: str) -> Submitter:
    """Normalise and validate a submitter; refusals carry a code per field."""
    try:
        national_id = canonical_national_id(national_id)
    except ValueError:
        raise Refusal(Kind.INVALID, "invalid_national_id", "کد ملی معتبر نیست.",
                      "The national ID is not valid.") from None
    try:
        mobile = canonical_mobile(mobile)
    except ValueError:
        raise Refusal(Kind.INVALID, "invalid_mobile", "شماره همراه معتبر نیست.",
                      "The mobile number is not valid.") from None
    name = normalize_text(name)
    if len(name) < 2:
        raise Refusal(Kind.INVALID, "invalid_name", "نام ارسال‌کننده را کامل بنویسید.",
                      "The submitter's name is missing.")
    return Submitter(name=name, national_id=national_id, mobile=mobile)


def organisation_reference(code: str | None, legal_entity_id: str | None) -> tuple[str | None, str | None]:
    """How a registered organisation is named in a request: its registry code and/or its legal-entity ID
    (checksum validated), canonical."""
    if not (code or "").strip() and not (legal_entity_id or "").strip():
        raise Refusal(Kind.INVALID, "organisation_required", "شناسه یا کد ثبت سازمان را بنویسید.",
                       "Give the organisation's registry code or legal-entity ID.")
    if legal_entity_id is not None and legal_entity_id.strip():
        try:
            legal_entity_id = canonical_legal_entity_id(legal_entity_id)
        except ValueError:
            raise Refusal(Kind.INVALID, "invalid_legal_entity_id", "شناسه ملی سازمان معتبر نیست.",
                           "The organisation's legal-entity ID is not valid.") from None
    else:
        legal_entity_id = None
    code = code.strip().lower() if code and code.strip() else None
    return code, legal_entity_id


def check_answers(answers: dict[str, str], questions: list[dict]) -> dict[str, str]:
    """Answers to the call's questions: no unknown question, every required one answered; normalised."""
    known = {q["code"]: q for q in questions}
    unknown = sorted(set(answers) - set(known))
    if unknown:
        raise Refusal(Kind.INVALID, "unknown_question", "پاسخ به پرسشی داده شده که در فراخوان نیست.",
                       "An answer refers to a question the call does not ask.", unknown)
    cleaned = {code: normalize_text(text) for code, text in answers.items()}
    missing = sorted(code for code, q in known.items() if q.get("required") and not cleaned.get(code))
    if missing:
        raise Refusal(Kind.INVALID, "answer_required", "به همه‌ی پرسش‌های الزامی فراخوان پاسخ دهید.",
                       "Answer every required question of the call.", missing)
    return {code: text for code, text in cleaned.items() if text}


# --- calls --------------------------------------------------------------------------------------


def call_dates(opens_on: str, closes_on: str) -> tuple[datetime, datetime]:
    """UTC instants of a call entered as Jalali dates in Tehran: from the start of the first day to the end
    of the last."""
    try:
        opens_at, closes_at = tehran_day_start_utc(opens_on), tehran_day_end_utc(closes_on)
    except ValueError:
        raise Refusal(Kind.INVALID, "invalid_date", "تاریخ را به شکل ۱۴۰۵/۰۲/۰۱ بنویسید.",
                       "Write dates as Jalali YYYY/MM/DD, e.g. 1405/02/01.") from None
    if closes_at <= opens_at:
        raise Refusal(Kind.INVALID, "invalid_call_dates", "تاریخ پایان فراخوان پیش از تاریخ آغاز آن است.",
                       "The call's closing date is before its opening date.")
    return opens_at, closes_at


def last_day(closes_at: datetime, *, persian_digits: bool = True) -> str:
    """The Jalali date of a call's last day (closes_at is the instant that day ends)."""
    return format_jalali_date(closes_at - timedelta(microseconds=1), persian_digits=persian_digits)


def call_accepts(call: dict | None, now: datetime) -> bool:
    """True when the call is open and `now` is within its dates."""
    return intake_refusal(call, now) is None


def intake_refusal(call: dict | None, now: datetime) -> Refusal | None:
    """Why a call does not take works at `now` (a clear message with its dates), or None when it does."""
    if call is None:
        return Refusal(Kind.CONFLICT, "call_closed", "اکنون هیچ فراخوانی برای دریافت اثر باز نیست.",
                        "No call is open for works now.")
    edition, opens_at, closes_at = call["edition"], call["opens_at"], call["closes_at"]
    details = {"edition": edition}
    if opens_at is not None and closes_at is not None:
        details |= {"opens_on": format_jalali_date(opens_at, persian_digits=False),
                    "closes_on": last_day(closes_at, persian_digits=False)}
    if call["state"] == "closed" or (closes_at is not None and now >= closes_at):
        when = f" (آخرین روز: {last_day(closes_at)})" if closes_at is not None else ""
        return Refusal(Kind.CONFLICT, "call_closed", f"فراخوان جشنواره‌ی {edition} بسته شده است{when}.",
                        f"The call of edition {edition} is closed.", details)
    if call["state"] != "open" or opens_at is None or closes_at is None or now < opens_at:
        when = f" و از {format_jalali_date(opens_at)} آثار را می‌پذیرد" if opens_at is not None else ""
        return Refusal(Kind.CONFLICT, "call_not_open", f"فراخوان جشنواره‌ی {edition} هنوز باز نشده است{when}.",
                        f"The call of edition {edition} is not open yet.", details)
    return None


# --- search keys --------------------------------------------------------------------------------

_SEARCH_LETTERS = str.maketrans({"ة": "ه", "ە": "ه", "ۀ": "ه", "ٱ": "ا", "ء": None, "ـ": None})


def search_key(text: str) -> str:
    """Words for matching: letter variants (ي/ی, ك/ک, أ/ا, ة/ه...), diacritics, case, digits and ZWNJ ignored."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf"):  # diacritics, hamza/madda above, ZWNJ and other invisibles
            continue
        kept.append(" " if category[0] in "PSZC" else char)
    text = normalize_text("".join(kept)).translate(_SEARCH_LETTERS)
    return " ".join(to_ascii_digits(unicodedata.normalize("NFKC", text)).split())


def compact_key(text: str) -> str:
    """The search key without spaces, so 'می‌شود', 'می شود' and 'میشود' are one key."""
    return search_key(text).replace(" ", "")


def search_terms(query: str) -> list[str]:
    """Terms of a staff search box, each matched against compact keys."""
    return [term for term in search_key(query).split() if term][:10]


# --- tracking codes -----------------------------------------------------------------------------


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
    """The code as stored (1234-5678-9012), from however it was typed; 422 when it cannot be a code."""
    if not is_valid_tracking_code(code):
        raise Refusal(Kind.INVALID, "invalid_tracking_code", "کد رهگیری درست نیست؛ آن را دوباره بررسی کنید.",
                       "This is not a valid tracking code; please check it.")
    return format_tracking_code(normalize_identifier(code))
