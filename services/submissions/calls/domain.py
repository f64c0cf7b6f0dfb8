"""Pure rules of editions and calls: categories, Jalali dates, the states a call moves through, and whether
a call takes works at a given moment (with a refusal that names its dates when it does not)."""

import re
from datetime import datetime, timedelta
from enum import StrEnum

from shared.contracts.decisions import may_issue_actionable
from shared.persian import (
    format_jalali_date,
    normalize_text,
    tehran_day_end_utc,
    tehran_day_start_utc,
    to_persian_digits,
)
from shared.refusals import Kind, Refusal

CATEGORY_CODE = re.compile(r"[a-z][a-z0-9_]{1,39}", re.ASCII)
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # no category's name holds one (a decision's names included)
# A call's settings whose change an open call announces (CallChanged).
ANNOUNCED_SETTINGS = ("categories", "opens_at", "closes_at")


class CallState(StrEnum):
    """A call is set up as a draft, opened, and closed (it may be opened again while its dates allow)."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


def default_title(edition: str) -> str:
    """The Persian title of an edition when none is given."""
    return f"جشنواره حامی {to_persian_digits(edition)}"


# The code of a decision carried out by nobody because its issuer had no authority to issue it.
NOT_AUTHORISED = "decision_not_authorised"


def check_decision_authority(issuer_kind: str | None, issuer_role: str | None) -> None:
    """Only the policy council, through its chair or secretary, opens or closes a call by decision; a decision
    issued with any other authority (or none carried) is not carried out, whatever registry let through."""
    if not may_issue_actionable(issuer_kind, issuer_role):
        raise Refusal(Kind.FORBIDDEN, NOT_AUTHORISED,
                      "فقط شورای سیاست‌گذاری (رئیس یا دبیر آن) فراخوان را باز یا بسته می‌کند.",
                      "Only the policy council, through its chair or secretary, opens or closes a call.",
                      {"issuer_kind": issuer_kind, "issuer_role": issuer_role})


def edition_exists() -> Refusal:
    """An edition is created once."""
    return Refusal(Kind.CONFLICT, "edition_exists", "این دوره پیش‌تر تعریف شده است.", "This edition already exists.")


def unknown_offices(named: list[str]) -> Refusal:
    """Offices named in neighbourhoods the district does not have ("district:name" each)."""
    return Refusal(Kind.INVALID, "unknown_neighbourhood", "این محله در این منطقه ثبت نشده است.",
                   "This neighbourhood is not in the district.", named)


def check_categories(categories: dict[str, str]) -> dict[str, str]:
    """A call's categories: at least one, codes like 'welfare', Persian names normalised."""
    if not categories:
        raise Refusal(Kind.INVALID, "no_categories", "فراخوان باید دست‌کم یک موضوع داشته باشد.",
                      "A call needs at least one category.")
    bad = sorted(code for code, name in categories.items()
                 if not CATEGORY_CODE.fullmatch(code) or not normalize_text(name) or CONTROL.search(name))
    if bad:
        raise Refusal(Kind.INVALID, "invalid_category", "کد یا نام موضوع معتبر نیست.",
                      "Invalid category code or name.", bad)
    return {code: normalize_text(name) for code, name in categories.items()}


def check_categories_kept(removed_in_use: set[str]) -> None:
    """A category works already use cannot be taken off the call."""
    if removed_in_use:
        raise Refusal(Kind.CONFLICT, "category_in_use", "آثاری با این موضوع ثبت شده و نمی‌توان آن را حذف کرد.",
                      "Works already use this category; it cannot be removed.", sorted(removed_in_use))


def check_call_dates(opens_at: datetime, closes_at: datetime) -> None:
    """A call closes after it opens."""
    if closes_at <= opens_at:
        raise Refusal(Kind.INVALID, "invalid_call_dates", "تاریخ پایان فراخوان پیش از تاریخ آغاز آن است.",
                      "The call's closing date is before its opening date.")


def call_dates(opens_on: str, closes_on: str) -> tuple[datetime, datetime]:
    """UTC instants of a call entered as Jalali dates in Tehran: from the start of the first day to the end
    of the last."""
    try:
        opens_at, closes_at = tehran_day_start_utc(opens_on), tehran_day_end_utc(closes_on)
    except ValueError:
        raise Refusal(Kind.INVALID, "invalid_date", "تاریخ را به شکل ۱۴۰۵/۰۲/۰۱ بنویسید.",
                      "Write dates as Jalali YYYY/MM/DD, e.g. 1405/02/01.") from None
    check_call_dates(opens_at, closes_at)
    return opens_at, closes_at


def announces_change(before: dict | None, call: dict) -> bool:
    """True when an open call's announced settings changed (CallChanged is published)."""
    return (call["state"] == CallState.OPEN and before is not None
            and any(before[key] != call[key] for key in ANNOUNCED_SETTINGS))


def check_openable(call: dict | None, now: datetime) -> None:
    """A call opens once set up, when not open already, and while its closing date is ahead."""
    if call is None:
        raise Refusal(Kind.CONFLICT, "call_not_configured", "فراخوان این دوره هنوز تنظیم نشده است.",
                      "This edition's call has not been set up yet.")
    if call["state"] == CallState.OPEN:
        raise Refusal(Kind.CONFLICT, "call_already_open", "فراخوان این دوره باز است.", "The call is already open.")
    if call["closes_at"] <= now:
        raise Refusal(Kind.CONFLICT, "call_dates_passed",
                      "تاریخ پایان فراخوان گذشته است؛ نخست تاریخ‌ها را تغییر دهید.",
                      "The call's closing date has passed; change its dates first.")


def check_closable(call: dict | None) -> None:
    """Only an open call closes."""
    if call is None or call["state"] == CallState.DRAFT:
        raise Refusal(Kind.CONFLICT, "call_not_open", "فراخوان این دوره باز نشده است.", "The call has not been opened.")
    if call["state"] == CallState.CLOSED:
        raise Refusal(Kind.CONFLICT, "call_already_closed", "فراخوان این دوره پیش‌تر بسته شده است.",
                      "The call is already closed.")


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
    if call["state"] == CallState.CLOSED or (closes_at is not None and now >= closes_at):
        when = f" (آخرین روز: {last_day(closes_at)})" if closes_at is not None else ""
        return Refusal(Kind.CONFLICT, "call_closed", f"فراخوان جشنواره‌ی {edition} بسته شده است{when}.",
                       f"The call of edition {edition} is closed.", details)
    if call["state"] != CallState.OPEN or opens_at is None or closes_at is None or now < opens_at:
        when = f" و از {format_jalali_date(opens_at)} آثار را می‌پذیرد" if opens_at is not None else ""
        return Refusal(Kind.CONFLICT, "call_not_open", f"فراخوان جشنواره‌ی {edition} هنوز باز نشده است{when}.",
                       f"The call of edition {edition} is not open yet.", details)
    return None


def check_intake(call: dict | None, now: datetime) -> None:
    """Refuse unless the call takes works (and edits of works) at `now`."""
    if (refusal := intake_refusal(call, now)) is not None:
        raise refusal
