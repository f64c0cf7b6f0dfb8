"""Ranking: reproducible, order-independent, fair to harsh and lenient evaluators, quotas hold."""

import random
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.evaluation.ranking import Criterion, Sheet, Work, explanation, rank

RUBRIC = [Criterion("innovation", 2), Criterion("impact", 3), Criterion("sustainability", 1)]
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def uid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def round_data(draw_scores, works: int, evaluators: int, per_work: int):
    """Works, and sheets where each work is scored by `per_work` evaluators in rotation."""
    items = [Work(uid(1000 + w), T0 + timedelta(minutes=w)) for w in range(works)]
    sheets = []
    for w, work in enumerate(items):
        for j in range(per_work):
            evaluator = uid(1 + (w + j) % evaluators)
            sheets.append(Sheet(work.work_id, evaluator, {c.code: draw_scores() for c in RUBRIC}))
    return items, sheets


scores = st.integers(min_value=0, max_value=10)
rounds = st.builds(lambda seed, works: (seed, works), st.integers(0, 10_000), st.integers(4, 14))


def generated(seed: int, works: int):
    rng = random.Random(seed)
    return round_data(lambda: rng.randint(0, 10), works=works, evaluators=3, per_work=3)


def order(placings) -> list[uuid.UUID]:
    return [p.work_id for p in placings]


@settings(max_examples=60, deadline=None)
@given(rounds, st.randoms(use_true_random=False))
def test_ranking_is_independent_of_the_order_sheets_arrive_in(case, shuffler) -> None:
    works, sheets = generated(*case)
    shuffled, shuffled_works = sheets[:], works[:]
    shuffler.shuffle(shuffled)
    shuffler.shuffle(shuffled_works)
    assert order(rank(works, sheets, RUBRIC, 3)) == order(rank(shuffled_works, shuffled, RUBRIC, 3))


@settings(max_examples=60, deadline=None)
@given(rounds, st.integers(min_value=0, max_value=20))
def test_quotas_hold(case, quota: int) -> None:
    works, sheets = generated(*case)
    placings = rank(works, sheets, RUBRIC, quota)
    assert sum(p.advanced for p in placings) == min(quota, len(works))
    assert [p.rank for p in placings] == list(range(1, len(works) + 1))
    assert all(p.advanced == (p.rank <= quota) for p in placings)


@settings(max_examples=60, deadline=None)
@given(rounds, st.integers(min_value=1, max_value=3), st.integers(min_value=-50, max_value=50).filter(bool))
def test_adding_a_constant_to_one_evaluators_scores_does_not_change_the_ranking(case, evaluator, shift) -> None:
    works, sheets = generated(*case)  # 3 evaluators share all works: each has >= 5 sheets once works >= 5
    if min(sum(s.evaluator_id == uid(e) for s in sheets) for e in (1, 2, 3)) < 5:
        return
    shifted = [Sheet(s.work_id, s.evaluator_id, {k: v + shift for k, v in s.scores.items()})
               if s.evaluator_id == uid(evaluator) else s for s in sheets]
    before = rank(works, sheets, RUBRIC, 3)
    after = rank(works, shifted, RUBRIC, 3)
    totals = {p.work_id: round(p.normalised_total, 9) for p in before}
    assert totals == {p.work_id: round(p.normalised_total, 9) for p in after}
    if len(set(totals.values())) == len(totals):  # exact ties fall to raw totals, which the shift moves
        assert order(before) == order(after)


def test_ties_always_break_the_same_way_down_to_receipt_time_and_id() -> None:
    same = {c.code: 5 for c in RUBRIC}
    works = [Work(uid(3), T0), Work(uid(2), T0), Work(uid(1), T0 + timedelta(hours=1))]
    sheets = [Sheet(w.work_id, uid(100 + e), same) for w in works for e in range(3)]
    for _ in range(5):
        random.shuffle(sheets)
        random.shuffle(works)
        assert order(rank(works, sheets, RUBRIC, 2)) == [uid(2), uid(3), uid(1)]


def test_a_harsh_evaluator_does_not_decide_the_outcome() -> None:
    # Two evaluators agree A > B > others; a harsh third scores everything low but keeps the same order.
    works = [Work(uid(10 + i), T0) for i in range(6)]
    base = [9, 8, 6, 5, 4, 3]
    sheets = []
    for i, w in enumerate(works):
        for evaluator, offset in ((uid(1), 0), (uid(2), 0), (uid(3), -6)):
            sheets.append(Sheet(w.work_id, evaluator, {c.code: max(0, base[i] + offset) for c in RUBRIC}))
    placings = rank(works, sheets, RUBRIC, 2)
    assert order(placings)[:2] == [uid(10), uid(11)]


def test_every_work_gets_an_explanation_and_disagreement_is_flagged() -> None:
    works = [Work(uid(1), T0), Work(uid(2), T0)]
    sheets = [Sheet(uid(1), uid(7), {c.code: 10 for c in RUBRIC}), Sheet(uid(1), uid(8), {c.code: 0 for c in RUBRIC}),
              Sheet(uid(2), uid(7), {c.code: 6 for c in RUBRIC}), Sheet(uid(2), uid(8), {c.code: 6 for c in RUBRIC})]
    placings = {p.work_id: explanation(p) for p in rank(works, sheets, RUBRIC, 1)}
    assert placings[uid(1)]["flagged_for_discussion"] and not placings[uid(2)]["flagged_for_discussion"]
    assert set(placings[uid(2)]["raw_by_criterion"]) == {"innovation", "impact", "sustainability"}
    assert placings[uid(2)]["raw_total"] == 60.0
    assert "quota of 1" in placings[uid(2)]["reason"]


def test_a_work_without_sheets_ranks_last_and_never_advances() -> None:
    works = [Work(uid(1), T0), Work(uid(2), T0)]
    sheets = [Sheet(uid(2), uid(7), {c.code: 1 for c in RUBRIC})]
    placings = rank(works, sheets, RUBRIC, 5)
    assert order(placings) == [uid(2), uid(1)]
    assert not placings[1].advanced and placings[1].reason == "no submitted score sheets"
