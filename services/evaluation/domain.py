"""Pure evaluation rules: work states, rounds' checks and refusals, the default rubric, score validation, and
what a withdrawal does. (assignment.py and ranking.py are the other two pure modules.) No I/O, no web imports."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from shared.persian import format_jalali_date, tehran_day_end_utc
from shared.principal import DISTRICT_COMMITTEE_KINDS, BodyKind, Role
from shared.refusals import Kind, Refusal

# A received work waits for its district's tier-1 round.
AWAITING_TIER_1 = "awaiting_tier1"
IN_TIER_1 = "in_tier1"
ADVANCED_TIER_1 = "selected_by_district"
NOT_ADVANCED_TIER_1 = "not_selected_by_district"
WITH_JURY = "with_jury"
IN_TIER_2 = "in_tier2"
AWARDED, NOT_AWARDED = "awarded", "not_awarded"
WITHDRAWN = "withdrawn"  # final: no later move undoes it
OPEN, CLOSED = "open", "closed"
DRAFT, SUBMITTED = "draft", "submitted"
DEFAULT_K = 3
DEFAULT_QUORUM = 2  # submitted sheets each work needs for a round closed at its deadline without every sheet
EDITION_CODE = r"^1[34][0-9]{2}$"  # an edition is a Jalali year
CATEGORY_CODE = r"^[a-z][a-z0-9_]{1,39}$"  # the category codes submissions' calls accept
DEFAULT_TIER_1_DAYS = 30  # a tier-1 round opened when the call closes is due at the end of this many days
DEFAULT_QUOTA = 3
PLACES = ("first", "second", "third")
HONOURABLE_MENTIONS = 2
# Who is drawn to judge: at tier 1 the members of a district's three committees (the chair presides as one of them,
# an evaluator is appointed to judge), at tier 2 the jurors only. A secretary keeps a committee's or the jury's
# records and does not judge, nor does the jury's chair: either is drawn only when they also hold a judging role.
TIER_1_KINDS = DISTRICT_COMMITTEE_KINDS
TIER_2_KINDS = frozenset({BodyKind.JURY_COMMITTEE})
TIER_1_ROLES = frozenset({Role.CHAIR, Role.MEMBER, Role.EVALUATOR})
TIER_2_ROLES = frozenset({Role.JUROR})
# What an evaluator sees of an assigned work: what judging needs, nothing of the submitter (no name, national ID,
# mobile or organisation).
JUDGING_FIELDS = ("work_id", "district", "neighbourhood", "category", "title")
# A sensible default rubric for social initiatives (weights sum to 10; scores 0-10).
DEFAULT_RUBRIC = [
    {"code": "innovation", "name_fa": "نوآوری", "weight": 2, "min_score": 0, "max_score": 10},
    {"code": "social_impact", "name_fa": "اثر اجتماعی", "weight": 3, "min_score": 0, "max_score": 10},
    {"code": "sustainability", "name_fa": "پایداری", "weight": 2, "min_score": 0, "max_score": 10},
    {"code": "participation", "name_fa": "مشارکت مردمی", "weight": 2, "min_score": 0, "max_score": 10},
    {"code": "feasibility", "name_fa": "امکان‌پذیری", "weight": 1, "min_score": 0, "max_score": 10},
]


def drawn_from(tier: int) -> tuple[frozenset[str], frozenset[str]]:
    """The body kinds and the roles in them that a round of this tier draws its evaluators from."""
    return (TIER_1_KINDS, TIER_1_ROLES) if tier == 1 else (TIER_2_KINDS, TIER_2_ROLES)


def for_judging(work: dict) -> dict:
    """A work as its evaluator sees it (JUDGING_FIELDS only)."""
    return {name: work[name] for name in JUDGING_FIELDS}


def waiting_status(tier: int) -> str:
    """The status of the works a round of this tier takes in."""
    return AWAITING_TIER_1 if tier == 1 else WITH_JURY


def in_round_status(tier: int) -> str:
    """The status of a work inside a round of this tier."""
    return IN_TIER_1 if tier == 1 else IN_TIER_2


def check_round_scope(tier: int, district: int | None) -> None:
    """A tier-1 round belongs to one district, a tier-2 round to the city."""
    if (tier == 1) != (district is not None):
        raise Refusal(Kind.INVALID, "district_mismatch", "دور مرحلهٔ اول برای یک منطقه است و مرحلهٔ دوم برای کل شهر.",
                      "Tier 1 rounds belong to a district; tier 2 rounds to the city.")


def round_quota(tier: int, district_quota: int) -> int:
    """How many works advance: the district's quota at tier 1, the places and mentions at tier 2."""
    return len(PLACES) + HONOURABLE_MENTIONS if tier == 2 else district_quota


def no_works() -> Refusal:
    """Nothing waits for the round."""
    return Refusal(Kind.CONFLICT, "no_works", "اثری برای این مرحله در انتظار داوری نیست.",
                   "No works are waiting for this round.")


def too_few_evaluators(short: dict[str, int], k: int) -> Refusal:
    """Some works cannot get k conflict-free evaluators (work id -> how many they lack)."""
    return Refusal(Kind.CONFLICT, "too_few_evaluators", "داوران بدون تعارض منافع برای این آثار کافی نیستند.",
                   f"Too few conflict-free evaluators: {len(short)} works cannot get {k}.", short)


def round_exists() -> Refusal:
    """The scope already has its round."""
    return Refusal(Kind.CONFLICT, "round_exists", "دور داوری این مرحله و موضوع پیش‌تر باز شده است.",
                   "A round of this tier and category (and district) already exists.")


def check_sheet_editable(round_state: str, sheet_state: str | None) -> None:
    """Sheets change only while their round is open, and a submitted sheet is final."""
    if round_state != OPEN:
        raise Refusal(Kind.CONFLICT, "round_closed", "دور داوری بسته است و برگه‌ها قفل شده‌اند.",
                      "The round is closed; its sheets are frozen.")
    if sheet_state == SUBMITTED:
        raise Refusal(Kind.CONFLICT, "sheet_submitted", "این برگه پیش‌تر ثبت نهایی شده است.",
                      "This sheet was already submitted.")


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


APPOINTMENT_ENDED = "appointment ended"  # the reason recorded when a work is handed on automatically


def check_reassignable(round_state: str, *, assigned: bool, sheet_state: str | None) -> None:
    """A work is taken from an evaluator only in an open round, only from one who holds it, and not once they
    submitted its sheet (a submitted sheet counts)."""
    if round_state != OPEN:
        raise Refusal(Kind.CONFLICT, "round_closed", "دور داوری بسته است و واگذاری آثار تغییر نمی‌کند.",
                      "The round is closed; its assignments no longer change.")
    if not assigned:
        raise Refusal(Kind.CONFLICT, "not_assigned", "این اثر به این داور واگذار نشده است.",
                      "This work is not assigned to that evaluator.")
    if sheet_state == SUBMITTED:
        raise Refusal(Kind.CONFLICT, "sheet_submitted", "این داور برگهٔ این اثر را ثبت نهایی کرده است.",
                      "That evaluator already submitted this work's sheet.")


def check_successor(*, eligible: bool, holds: bool, held_before: bool, conflict: str | None) -> None:
    """The evaluator a work goes to judges in the round's bodies (domain.drawn_from; the district's at tier 1),
    does not hold it already nor had it taken from them, and has no conflict of interest with it."""
    if not eligible:
        raise Refusal(Kind.CONFLICT, "not_eligible", "این شخص در این دور داور نیست (نقش داوری در این مرحله ندارد).",
                      "That person does not judge in this round (no judging role for this tier and district).")
    if holds or held_before:
        raise Refusal(Kind.CONFLICT, "already_assigned", "این اثر پیش‌تر به این داور واگذار شده است.",
                      "That evaluator holds, or held, this work in this round.")
    if conflict:
        raise Refusal(Kind.CONFLICT, "conflict_of_interest", "این داور با این اثر تعارض منافع دارد.",
                      "That evaluator has a conflict of interest with this work.", {"conflict": conflict})


def check_closable(state: str) -> None:
    """A round closes once."""
    if state == CLOSED:
        raise Refusal(Kind.CONFLICT, "round_closed", "دور داوری پیش‌تر بسته شده است.", "The round is already closed.")


def check_complete(plan: dict[UUID, list[UUID]], submitted: set[tuple[UUID, UUID]], short: Iterable[str],
                   k: int) -> None:
    """A round closes only when every assigned evaluator submitted and no work lacks evaluators."""
    missing = [(w, e) for w, people in plan.items() for e in people if (w, e) not in submitted]
    unstaffed = {UUID(w) for w in short} - set(plan)  # works left with no evaluator at all
    lacking = sorted({w for w, people in plan.items() if len(people) < k} | unstaffed, key=str)
    if missing or lacking:
        raise Refusal(Kind.CONFLICT, "sheets_missing", "همهٔ برگه‌های امتیاز هنوز ثبت نهایی نشده‌اند.",
                      f"{len(missing)} score sheets are not submitted; {len(lacking)} works lack evaluators.",
                      {"missing_sheets": len(missing), "works_lacking_evaluators": [str(w) for w in lacking]})


def check_quorum(deadline: datetime | None, now: datetime, plan: dict[UUID, list[UUID]],
                 submitted: set[tuple[UUID, UUID]], short: Iterable[str], quorum: int) -> dict[UUID, list[UUID]]:
    """A round closes with a quorum only at or after its deadline, and only when every work has at least `quorum`
    submitted sheets; returns each work's absent evaluators (assigned, never submitted), in id order."""
    if deadline is None or now < deadline:
        raise Refusal(Kind.CONFLICT, "before_deadline", "پیش از مهلت دور، بستن با حد نصاب ممکن نیست.",
                      "A round closes with a quorum only at or after its deadline.",
                      {"deadline": deadline.isoformat() if deadline else None})
    counted = {w: sum((w, e) in submitted for e in people) for w, people in plan.items()}
    counted |= {UUID(w): 0 for w in short if UUID(w) not in plan}  # works left with no evaluator at all
    under = sorted((w for w, n in counted.items() if n < quorum), key=str)
    if under:
        raise Refusal(Kind.CONFLICT, "under_quorum", f"برخی آثار کمتر از {quorum} برگهٔ ثبت‌شده دارند.",
                      f"{len(under)} works have fewer than {quorum} submitted sheets.",
                      {"quorum": quorum, "works_under_quorum": [str(w) for w in under]})
    return {w: sorted((e for e in people if (w, e) not in submitted), key=str) for w, people in plan.items()}


def check_reopenable(state: str, tier: int, *, receipt_confirmed: bool) -> None:
    """Only a closed round reopens, and a tier-1 round not once its category went on to the jury."""
    if state != CLOSED:
        raise Refusal(Kind.CONFLICT, "round_open", "دور داوری باز است.", "The round is open.")
    if tier == 1 and receipt_confirmed:
        raise Refusal(Kind.CONFLICT, "receipt_confirmed", "برگزیده‌های این موضوع به داوری نهایی رفته‌اند.",
                      "The central secretariat already took this category's selections to the jury.")


def check_receivable(*, tier1_open: bool, selected: list[dict]) -> None:
    """The receipt needs every district's tier-1 round closed and each selected work's documents."""
    if tier1_open:
        raise Refusal(Kind.CONFLICT, "tier1_still_open", "هنوز داوری مرحلهٔ اول برخی مناطق باز است.",
                      "Some districts' tier-1 rounds are still open.")
    if not selected:
        raise Refusal(Kind.CONFLICT, "no_selections", "اثر برگزیده‌ای از مناطق نرسیده است.",
                      "No selected works arrived.")
    if missing := missing_documents(selected):
        raise Refusal(Kind.CONFLICT, "documents_missing", "مدارک برخی آثار برگزیده نرسیده است؛ دریافت کامل نیست.",
                      f"{len(missing)} selected works have no documents; the receipt is not complete.",
                      {"work_ids": [str(w) for w in missing]})


def already_received() -> Refusal:
    """The category's receipt was confirmed before."""
    return Refusal(Kind.CONFLICT, "already_received", "دریافت برگزیدگان این محور پیش‌تر تأیید شده است.",
                   "The receipt of this category's selections was already confirmed.")


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


class Withdrawal(StrEnum):
    """What a withdrawal does to the work, by where the work stands when it arrives."""

    BEFORE_RECEIVED = "before_received"  # overtook the work itself: the work is stored withdrawn when it arrives
    BEFORE_ROUND = "before_round"  # waiting for a round (tier 1, or the jury's): it never enters one
    LEFT_ROUND = "left_round"  # in an open round: it leaves at once, its sheets no longer count
    AFTER_CLOSE = "after_round_closed"  # its round closed: the result stands, the work goes no further
    AFTER_RESULTS = "after_results"  # results published: they stand; the withdrawal is only recorded
    ALREADY = "already_withdrawn"  # nothing more to do


def withdrawal_effect(status: str | None, *, open_round: bool) -> Withdrawal:
    """Decide what a withdrawal does to a work in `status` (None: not received yet), `open_round` telling whether
    one of the rounds holding it is still open.

    A closed round's result is not recomputed: its outcome was announced (works advanced or not, awards proposed)
    and handing the quota place to the next work would change other works' outcomes after the fact. The festival
    secretary may reopen the round; it is then ranked again without the withdrawn work."""
    if status is None:
        return Withdrawal.BEFORE_RECEIVED
    if status == WITHDRAWN:
        return Withdrawal.ALREADY
    if status in (AWARDED, NOT_AWARDED):
        return Withdrawal.AFTER_RESULTS
    if status in (IN_TIER_1, IN_TIER_2) and open_round:
        return Withdrawal.LEFT_ROUND
    if status in (AWAITING_TIER_1, WITH_JURY):
        return Withdrawal.BEFORE_ROUND
    return Withdrawal.AFTER_CLOSE
