"""Pure evaluation rules: work states, who manages which round, the default rubric, score validation."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID

from shared.persian import format_jalali_date, tehran_day_end_utc
from shared.principal import Principal
from shared.refusals import Kind, Refusal

# A received work waits for its district's tier-1 round.
AWAITING_TIER_1 = "awaiting_tier1"
IN_TIER_1 = "in_tier1"
ADVANCED_TIER_1 = "selected_by_district"
NOT_ADVANCED_TIER_1 = "not_selected_by_district"
WITH_JURY = "with_jury"
IN_TIER_2 = "in_tier2"
AWARDED, NOT_AWARDED = "awarded", "not_awarded"
OPEN, CLOSED = "open", "closed"
DEFAULT_K = 3
DEFAULT_TIER_1_DAYS = 30  # a tier-1 round opened when the call closes is due at the end of this many days
DEFAULT_QUOTA = 3
PLACES = ("first", "second", "third")
HONOURABLE_MENTIONS = 2
# Bodies whose members evaluate: a district's three committees at tier 1, the jury at tier 2.
TIER_1_KINDS = frozenset({"executive_committee", "young_citizens_committee", "scientific_committee"})
TIER_2_KINDS = frozenset({"jury_committee"})
EVALUATING_ROLES = frozenset({"chair", "secretary", "member", "evaluator", "juror"})
# A sensible default rubric for social initiatives (weights sum to 10; scores 0-10).
DEFAULT_RUBRIC = [
    {"code": "innovation", "name_fa": "نوآوری", "weight": 2, "min_score": 0, "max_score": 10},
    {"code": "social_impact", "name_fa": "اثر اجتماعی", "weight": 3, "min_score": 0, "max_score": 10},
    {"code": "sustainability", "name_fa": "پایداری", "weight": 2, "min_score": 0, "max_score": 10},
    {"code": "participation", "name_fa": "مشارکت مردمی", "weight": 2, "min_score": 0, "max_score": 10},
    {"code": "feasibility", "name_fa": "امکان‌پذیری", "weight": 1, "min_score": 0, "max_score": 10},
]


def visible_districts(principal: Principal) -> set[int] | None:
    """Districts whose works the person may list; None means every district."""
    return None if principal.is_city_wide() else principal.districts()


def may_manage(principal: Principal, tier: int, district: int | None) -> bool:
    """District secretaries manage their district's tier-1 rounds; the central secretariat manages tier 2."""
    if tier == 2:
        return principal.is_member("central-secretariat")
    return any(m.kind == "district_secretariat" and m.district == district and m.role == "secretary"
               for m in principal.memberships)


def may_reopen(principal: Principal) -> bool:
    """Only the festival secretary reopens a closed round (and it is recorded)."""
    return principal.is_member("festival-secretary", "secretary")


def checked_scores(scores: dict[str, float], rubric: list[dict], *, complete: bool) -> dict[str, float]:
    """Scores within each criterion's range; a submitted sheet must score every criterion."""
    criteria = {c["code"]: c for c in rubric}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise Refusal(Kind.INVALID, "unknown_criterion", "معیار ناشناخته در برگهٔ امتیاز.", "Unknown criterion.",
                       sorted(unknown))
    for code, value in scores.items():
        if not criteria[code]["min_score"] <= value <= criteria[code]["max_score"]:
            raise Refusal(Kind.INVALID, "score_out_of_range", "امتیاز بیرون از بازهٔ معیار است.",
                           f"Score for {code} is outside {criteria[code]['min_score']}-{criteria[code]['max_score']}.")
    if complete and set(scores) != set(criteria):
        raise Refusal(Kind.INVALID, "sheet_incomplete", "برای ثبت نهایی، همهٔ معیارها را امتیاز دهید.",
                       "Score every criterion before submitting.", sorted(set(criteria) - set(scores)))
    return scores


def awards_from(ranked: list[dict]) -> list[dict]:
    """First, second, third and honourable mentions from a tier-2 ranking (advanced works in rank order)."""
    places = [*PLACES, *["honourable_mention"] * HONOURABLE_MENTIONS]
    return [{**work, "place": place} for work, place in zip(ranked, places, strict=False)]


def tier1_scopes_to_open(awaiting: Iterable[tuple[int, str]], existing: set[tuple[int | None, str]]) -> list[
        tuple[int, str]]:
    """(district, category) pairs with waiting works and no round yet (a round opened by hand is kept), in order."""
    return sorted(set(awaiting) - existing)


def tier1_deadline(closed_at: datetime, days: int) -> datetime:
    """End of the Tehran day `days` days after the call closed (deadlines are whole Jalali days)."""
    return tehran_day_end_utc(format_jalali_date(closed_at + timedelta(days=days), persian_digits=False))


def missing_documents(works: Iterable[dict]) -> list[UUID]:
    """Works without a single document, in id order (the jury needs each work's documents)."""
    return sorted((w["work_id"] for w in works if w["documents"] < 1), key=str)
