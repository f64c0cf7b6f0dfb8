"""Pure rules of a district's neighbourhood festival offices: the neighbourhood must be of the district, the
edition's call must be set up, and an office's staff are named people (a name or an account's username, a phone
when given)."""

import re

from shared.persian import normalize_identifier, normalize_text
from shared.refusals import Kind, Refusal

# A phone as staff write it once separators are gone: a landline with its area code or a mobile (8 to 11 digits).
PHONE = re.compile(r"0?[0-9]{7,10}", re.ASCII)


def not_in_district(district: int, neighbourhood: str) -> Refusal:
    """The neighbourhood named is not an active neighbourhood of the district."""
    return Refusal(Kind.INVALID, "neighbourhood_not_in_district", "این محله از محله‌های این منطقه نیست.",
                   "This neighbourhood is not one of the district's neighbourhoods.",
                   {"district": district, "neighbourhood": neighbourhood})


def call_not_configured() -> Refusal:
    """Offices belong to a call: the edition's call must be set up first (by city-wide staff or a decision)."""
    return Refusal(Kind.CONFLICT, "call_not_configured", "فراخوان این دوره هنوز تنظیم نشده است.",
                   "This edition's call has not been set up yet.")


def office_not_open() -> Refusal:
    """Closing an office that is not open."""
    return Refusal(Kind.CONFLICT, "office_not_open", "این محله دفتر باز جشنواره ندارد.",
                   "This neighbourhood has no open festival office.")


def invalid_staff(positions: list[int]) -> Refusal:
    """Staff entries that name nobody or carry no usable phone (their positions, from 0)."""
    return Refusal(Kind.INVALID, "invalid_office_staff",
                   "هر کارکن دفتر باید نام یا نام کاربری داشته باشد و تلفن او معتبر باشد.",
                   "Each office staff member needs a name or a username, and a valid phone when one is given.",
                   positions)


def check_staff(staff: list[dict]) -> list[dict]:
    """The office's staff as stored: names normalised, phones as ASCII digits; refuses entries naming nobody or
    with an unusable phone, naming their positions."""
    kept, bad = [], []
    for position, person in enumerate(staff):
        name = normalize_text(person.get("name") or "")
        username = person.get("username") or None
        phone = normalize_identifier(person.get("phone") or "")
        if not (name or username) or (phone and not PHONE.fullmatch(phone)):
            bad.append(position)
            continue
        kept.append({"name": name or None, "username": username, "phone": phone or None})
    if bad:
        raise invalid_staff(bad)
    return kept
