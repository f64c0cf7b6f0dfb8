"""The council's decision form: what its fields mean as a decision (the JSON route's DecisionIn), and where a
problem with it belongs on the form. Reading input only: the issue use case decides."""

import re
from collections.abc import Callable
from datetime import datetime

from fastapi import Request
from pydantic import ValidationError

from services.registry.names import CATEGORIES
from shared.contracts.base import DISTRICTS
from shared.persian import (
    format_jalali_date,
    tehran_day_end_utc,
    tehran_day_start_utc,
    to_ascii_digits,
    to_persian_digits,
)
from shared.refusals import Refusal
from shared.web.pages import FIELD_PROBLEMS, field_errors

# The actions of an actionable decision (shared/contracts/decisions.py), as the council calls them.
ACTIONS = {
    "open_call": "آغاز فراخوان یک دوره",
    "close_call": "پایان فراخوان یک دوره",
    "set_quotas": "سهمیهٔ راه‌یابی آثار از هر منطقه",
    "set_rubric": "معیارهای ارزیابی",
    "open_tier": "آغاز مرحلهٔ ارزیابی",
    "close_tier": "پایان مرحلهٔ ارزیابی",
    "approve_results": "تأیید نتایج داوری",
}
ACTION_HINTS = {
    "open_call": "رشته‌ها و تاریخ آغاز و پایان دریافت آثار.",
    "close_call": "دریافت آثار این دوره پایان می‌یابد.",
    "set_quotas": "چند اثر از هر منطقه در هر رشته به داوری شهری راه می‌یابد.",
    "set_rubric": "معیارها، وزن هر معیار و بازهٔ امتیاز.",
    "open_tier": "آغاز ارزیابی در مناطق، برای همه یا یک منطقه یا یک رشته.",
    "close_tier": "پایان یک مرحلهٔ ارزیابی.",
    "approve_results": "پیشنهادهای کمیتهٔ داوری تأیید و نتایج منتشر می‌شود.",
}
PARAMETER_NAMES = {"edition": "دوره", "categories": "رشته‌ها", "opens_at": "آغاز دریافت آثار",
                   "closes_at": "پایان دریافت آثار", "per_district": "سهمیهٔ هر منطقه", "exceptions": "سهمیهٔ ویژه",
                   "category": "رشته", "criteria": "معیارها", "tier": "مرحله", "district": "منطقه"}
CRITERIA_ROWS = 5
CRITERION_PARTS = ("code", "name_fa", "weight", "min_score", "max_score")
SCALARS = ("kind", "action", "issuing_body", "title", "text", "all_districts", "ack_deadline", "acknowledgement",
           "p.edition", "p.opens_at", "p.closes_at", "p.per_district", "p.category", "p.tier", "p.district",
           *(f"p.exceptions.{d}" for d in DISTRICTS),
           *(f"p.criteria.{row}.{part}" for row in range(CRITERIA_ROWS) for part in CRITERION_PARTS))
LISTS = ("districts", "committees", "p.categories")
# The use case's refusals and the field each concerns.
REFUSAL_FIELDS = {"invalid_addressees": "districts", "unknown_decision_kind": "kind", "parameters_mismatch": "action",
                  "action_not_supported": "p.tier", "invalid_date": "ack_deadline", "deadline_passed": "ack_deadline",
                  "naive_deadline": "ack_deadline", "not_actionable_issuer": "issuing_body",
                  "forbidden": "issuing_body", "not_found": "issuing_body", "unknown_body": "committees"}
NO_CRITERIA = "دست‌کم یک معیار بنویسید."
BAD_DATE = "تاریخ را به شکل سال/ماه/روز بنویسید، مثل ۱۴۰۵/۰۹/۱۵."
DECIMAL = re.compile(r"^[0-9]{1,4}(\.[0-9]{1,3})?$")
MOST_CHOICES = 40  # more ticked boxes than the form has is someone else's form


async def read_form(request: Request) -> dict:
    """The posted decision form: its single fields as text, its ticked boxes as lists of text."""
    posted = await request.form()
    form: dict = {name: str(posted.get(name, "")) for name in SCALARS}
    form.update({name: [str(value) for value in posted.getlist(name)][:MOST_CHOICES] for name in LISTS})
    return form


def blank_form(kind: str, action: str, **prefilled: str) -> dict:
    """A new decision's form: the kind (and action) chosen, every district addressed, anything prefilled."""
    form: dict = {**dict.fromkeys(SCALARS, ""), **{name: [] for name in LISTS}}
    form.update(kind=kind, action=action, all_districts="1", **prefilled)
    return form


def number(text: str) -> int | str:
    """A whole number typed in Persian or ASCII digits; anything else as typed (the model refuses it)."""
    cleaned = to_ascii_digits(text).strip()
    return int(cleaned) if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 6 else text


def decimal(text: str) -> float | str:
    """A weight such as ۱٫۵ or 2; anything else as typed (the model refuses it)."""
    cleaned = to_ascii_digits(text).replace("٫", ".").strip()
    return float(cleaned) if DECIMAL.match(cleaned) else text


def jalali_instant(form: dict, name: str, read: Callable[[str], datetime], errors: dict) -> datetime | None:
    """A Jalali date typed in a field as the instant it stands for; the problem noted at the field otherwise."""
    text = form[name].strip()
    if not text:
        errors[name] = FIELD_PROBLEMS["missing"]
        return None
    try:
        return read(text)
    except ValueError:
        errors[name] = BAD_DATE
        return None


def criteria_rows(form: dict) -> list[int]:
    """The rubric rows with anything typed in them."""
    return [row for row in range(CRITERIA_ROWS)
            if any(form[f"p.criteria.{row}.{part}"].strip() for part in CRITERION_PARTS)]


def parameters(form: dict, errors: dict) -> dict:
    """An actionable decision's parameters as its action's contract reads them."""
    action = form["action"]
    found: dict = {"action": action, "edition": to_ascii_digits(form["p.edition"]).strip()}
    optional = {"category": form["p.category"] or None}
    if action == "open_call":
        found["categories"] = {code: CATEGORIES[code] for code in form["p.categories"] if code in CATEGORIES}
        found["opens_at"] = jalali_instant(form, "p.opens_at", tehran_day_start_utc, errors)
        found["closes_at"] = jalali_instant(form, "p.closes_at", tehran_day_end_utc, errors)
    elif action == "set_quotas":
        found["per_district"] = number(form["p.per_district"])
        found["exceptions"] = {d: number(form[f"p.exceptions.{d}"]) for d in DISTRICTS
                               if form[f"p.exceptions.{d}"].strip()}
    elif action == "set_rubric":
        found["criteria"] = [{"code": form[f"p.criteria.{row}.code"].strip(),
                              "name_fa": form[f"p.criteria.{row}.name_fa"].strip(),
                              "weight": decimal(form[f"p.criteria.{row}.weight"]),
                              "min_score": number(form[f"p.criteria.{row}.min_score"] or "0"),
                              "max_score": number(form[f"p.criteria.{row}.max_score"] or "10")}
                             for row in criteria_rows(form)]
        found.update(optional)
    elif action in ("open_tier", "close_tier"):
        found.update(optional, tier=number(form["p.tier"]),
                     district=number(form["p.district"]) if form["p.district"] else None)
    elif action == "approve_results":
        found.update(optional)
    return found


def decision_body(form: dict) -> tuple[dict, dict[str, str]]:
    """The body the JSON route would receive for this form, and the problems found reading it (dates, blanks)."""
    errors: dict[str, str] = {}
    if not form["ack_deadline"].strip():
        errors["ack_deadline"] = FIELD_PROBLEMS["missing"]
    body = {"title": form["title"], "text": form["text"], "issuing_body": form["issuing_body"], "kind": form["kind"],
            "all_districts": form["all_districts"] == "1", "districts": [number(d) for d in form["districts"]],
            "committees": form["committees"], "ack_deadline": form["ack_deadline"],
            "requires_acknowledgement": {"yes": True, "no": False}.get(form["acknowledgement"])}
    if form["kind"] == "actionable":
        body["parameters"] = parameters(form, errors)
    return body, errors


def model_errors(error: ValidationError, form: dict) -> dict[str, str]:
    """The model's problems placed at the form's fields (a parameter's at its `p.` field, a rubric row's at the row
    it was typed in)."""
    rows = criteria_rows(form)
    placed: dict[str, str] = {}
    for field, message in field_errors(error).items():
        parts = field.split(".")
        if parts[0] != "parameters":
            placed.setdefault(parts[0], message)
            continue
        rest = parts[2:]  # after the action's name, which pydantic puts in the path
        if rest == ["criteria"]:
            message = NO_CRITERIA
        if rest[:1] == ["criteria"]:
            index = int(rest[1]) if len(rest) > 1 and rest[1].isdigit() else 0
            rest = ["criteria", str(rows[index] if index < len(rows) else 0), rest[2] if len(rest) > 2 else "code"]
        placed.setdefault("p." + ".".join(rest) if rest else "action", message)
    return placed


def refusal_field(refusal: Refusal, form: dict) -> str | None:
    """The field a refusal of the issue use case concerns (None: not one of the form's)."""
    if refusal.code == "action_not_supported" and form["action"] != "open_tier":
        return "action"
    return REFUSAL_FIELDS.get(refusal.code)


def described_parameters(parameters: dict | None) -> list[tuple[str, str]]:
    """An actionable decision's parameters as people read them: (what, value) in Persian."""
    described = []
    for key, value in (parameters or {}).items():
        if key == "action" or value is None or value == {}:
            continue
        described.append((PARAMETER_NAMES.get(key, key), _value_fa(key, value)))
    return described


def _value_fa(key: str, value: object) -> str:
    if key in ("opens_at", "closes_at"):
        return format_jalali_date(datetime.fromisoformat(str(value)))
    if key == "categories" and isinstance(value, dict):
        return "، ".join(str(name) for name in value.values())
    if key == "category":
        return CATEGORIES.get(str(value), str(value))
    if key == "exceptions" and isinstance(value, dict):
        return "، ".join(f"منطقهٔ {to_persian_digits(str(d))}: {to_persian_digits(str(n))}" for d, n in value.items())
    if key == "criteria" and isinstance(value, list):
        return "؛ ".join(to_persian_digits(
            f"{c['name_fa']} (وزن {c['weight']:g}، {c['min_score']} تا {c['max_score']})") for c in value)
    return to_persian_digits(str(value))
