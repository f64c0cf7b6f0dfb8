"""What evaluation's pages share: the Persian names of categories, places and states, a form's fields as text, an
id from an address or a form, and a use case run in a transaction of its own (a refusal rolls it back and the
form is shown again with it)."""

import uuid
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.web.connection import engine_of
from shared.web.pages import (  # noqa: F401 (what every page module takes from here)
    Pages,
    about_the_form,
    in_transaction,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# The festival's categories in the order people know them (the codes of submissions' call).
CATEGORIES = {"entrepreneurship": "کارآفرینی", "welfare": "رفاه و خدمات اجتماعی",
              "participation": "مشارکت‌های مردمی"}
PLACES = {"first": "رتبهٔ اول", "second": "رتبهٔ دوم", "third": "رتبهٔ سوم", "honourable_mention": "تقدیرنامه"}
SHEET_STATES = {"not_started": "شروع نشده", "draft": "پیش‌نویس", "submitted": "ثبت نهایی",
                "conflict": "تعارض منافع"}
SHEET_BADGES = {"not_started": "text-bg-light border", "draft": "text-bg-warning", "submitted": "text-bg-success",
                "conflict": "text-bg-secondary"}
ROUND_STATES = {"open": "باز", "closed": "بسته"}
# The ranking's reasons (ranking.py writes them in English for the JSON) as people read them.
REASONS = {"no submitted score sheets": "برگهٔ ثبت‌شده‌ای ندارد"}
FIELD_LIMIT = 20_000  # longer than any field the models accept: the model then says "too long"

Engine = Annotated[AsyncEngine, Depends(engine_of)]


def category_fa(code: str) -> str:
    """A category's Persian name (its code when the festival has no name for it)."""
    return CATEGORIES.get(code, code)


def round_name(round_: dict) -> str:
    """A round as people name it: its category and its district, or the jury."""
    where = f"منطقهٔ {round_['district']}" if round_["tier"] == 1 else "هیئت داوران"
    return f"{category_fa(round_['category'])} — {where} — جشنوارهٔ {round_['edition']}"


def reason_fa(placing: dict, quota: int) -> str:
    """Why a work advanced or not, in Persian (the explanation's rank and the round's quota)."""
    if placing.get("reason") in REASONS:
        return REASONS[placing["reason"]]
    if placing.get("advanced"):
        return f"رتبهٔ {placing['rank']} در سهمیهٔ {quota} اثر است"
    return f"رتبهٔ {placing['rank']} بیرون از سهمیهٔ {quota} اثر است"


def install(pages: Pages) -> None:
    """The names and helpers evaluation's templates use."""
    pages.env.globals.update(CATEGORIES=CATEGORIES, PLACES=PLACES, SHEET_STATES=SHEET_STATES,
                             SHEET_BADGES=SHEET_BADGES, ROUND_STATES=ROUND_STATES, round_name=round_name,
                             category_fa=category_fa, reason_fa=reason_fa)


async def form_fields(request: Request, *names: str) -> dict[str, str]:
    """The posted form's fields as text ('' when missing), cut at a length no model accepts anyway."""
    form = await request.form()
    return {name: str(form.get(name, ""))[:FIELD_LIMIT] for name in names}


def an_id(value: str | None) -> uuid.UUID | None:
    """An id from an address or a form; None when it is none."""
    try:
        return uuid.UUID(value) if value and len(value) <= 64 else None
    except ValueError:
        return None
