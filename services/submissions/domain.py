"""The vocabulary every submissions sub-domain shares: the festival's categories and a work's statuses with the
moves allowed between them. Pure (no I/O, no web imports); each sub-domain's own rules live in its domain.py."""

from shared.refusals import Kind, Refusal

# The festival's three themes: the default categories of a new call (editable per call).
CATEGORIES: dict[str, str] = {
    "entrepreneurship": "کارآفرینی",
    "welfare": "رفاه و خدمات اجتماعی",
    "participation": "مشارکت‌های مردمی",
}

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
IN_DISTRICT_EVALUATION, WITH_JURY = "in_district_evaluation", "with_jury"
SELECTED_BY_DISTRICT, NOT_SELECTED_BY_DISTRICT = "selected_by_district", "not_selected_by_district"
AWARDED, NOT_AWARDED = "awarded", "not_awarded"
# Forward moves only; a step may be skipped (evaluation events can arrive late), never undone. A work still in the
# festival may be withdrawn (evaluation takes it out of its round); one with a final outcome may not.
TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({IN_DISTRICT_EVALUATION, SELECTED_BY_DISTRICT, NOT_SELECTED_BY_DISTRICT, WITHDRAWN}),
    IN_DISTRICT_EVALUATION: frozenset({SELECTED_BY_DISTRICT, NOT_SELECTED_BY_DISTRICT, WITHDRAWN}),
    SELECTED_BY_DISTRICT: frozenset({WITH_JURY, AWARDED, NOT_AWARDED, WITHDRAWN}),
    WITH_JURY: frozenset({AWARDED, NOT_AWARDED, WITHDRAWN}),
    NOT_SELECTED_BY_DISTRICT: frozenset(),
    AWARDED: frozenset(),
    NOT_AWARDED: frozenset(),
    WITHDRAWN: frozenset(),
}


def status_fa(status: str) -> str:
    """The Persian name of a status (the code itself for one this version does not know)."""
    return STATUSES.get(status, status)


def unknown_status() -> Refusal:
    """A status that is not one of STATUSES."""
    return Refusal(Kind.INVALID, "unknown_status", "وضعیت معتبر نیست.", "Unknown status.", sorted(STATUSES))


def check_category(category: str, categories: dict[str, str] = CATEGORIES) -> str:
    """The category code, or a refusal naming the allowed ones."""
    if category not in categories:
        raise Refusal(Kind.INVALID, "unknown_category", "موضوع انتخاب‌شده در این فراخوان نیست.",
                      "Unknown category.", sorted(categories))
    return category


def check_transition(current: str, new: str) -> str:
    """The new status when the work may move there from `current`; a conflict otherwise."""
    if new not in STATUSES:
        raise unknown_status()
    if new not in TRANSITIONS[current]:
        raise Refusal(Kind.CONFLICT, "invalid_status_transition",
                      "اثر نمی‌تواند از این وضعیت به وضعیت خواسته‌شده برود.",
                      f"A work cannot move from {current} to {new}.", {"from": current, "to": new})
    return new
