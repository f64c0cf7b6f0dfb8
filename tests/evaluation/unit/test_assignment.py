"""Assignment: k evaluators per work, balanced, never in conflict; shortfalls are reported, not papered over."""

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from services.evaluation.assignment import Candidate, Entry, assign, conflict


def uid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def test_each_work_gets_k_distinct_evaluators_with_balanced_load() -> None:
    entries = [Entry(uid(100 + i), district=3) for i in range(10)]
    candidates = [Candidate(uid(i)) for i in range(1, 6)]
    plan = assign(entries, candidates, set(), k=3, tier=1)
    assert not plan.short
    assert all(len(set(people)) == 3 for people in plan.assignments.values())
    loads = [sum(c.person_id in people for people in plan.assignments.values()) for c in candidates]
    assert max(loads) - min(loads) <= 1 and sum(loads) == 30


def test_conflicts_own_submission_organisation_declared_and_jurors_own_district() -> None:
    work = Entry(uid(100), district=7, submitter_mobile="09120000001", organisation="mehr-ngo")
    assert conflict(Candidate(uid(1), mobile="09120000001"), work, set(), tier=1) == "own_submission"
    assert conflict(Candidate(uid(2), organisations=frozenset({"mehr-ngo"})), work, set(), tier=1) == \
        "same_organisation"
    assert conflict(Candidate(uid(3)), work, {(uid(3), uid(100))}, tier=1) == "declared"
    assert conflict(Candidate(uid(4), districts=frozenset({7})), work, set(), tier=2) == "own_district"
    assert conflict(Candidate(uid(4), districts=frozenset({7})), work, set(), tier=1) is None


def test_too_few_free_evaluators_is_reported_instead_of_assigning_badly() -> None:
    entries = [Entry(uid(100), district=7), Entry(uid(101), district=8)]
    jurors = [Candidate(uid(1), districts=frozenset({7})), Candidate(uid(2)), Candidate(uid(3))]
    plan = assign(entries, jurors, set(), k=3, tier=2)
    assert plan.short == {uid(100): 1}
    assert uid(1) not in plan.assignments[uid(100)]


districts = st.integers(min_value=1, max_value=22)


@settings(max_examples=80, deadline=None)
@given(st.lists(districts, min_size=1, max_size=30), st.lists(st.sets(districts, max_size=3), min_size=3, max_size=9),
       st.integers(min_value=1, max_value=3))
def test_tier_two_never_gives_a_juror_a_work_from_their_own_district(work_districts, juror_districts, k) -> None:
    entries = [Entry(uid(1000 + i), district=d) for i, d in enumerate(work_districts)]
    jurors = [Candidate(uid(i + 1), districts=frozenset(ds)) for i, ds in enumerate(juror_districts)]
    plan = assign(entries, jurors, set(), k=k, tier=2)
    by_id = {j.person_id: j for j in jurors}
    for entry in entries:
        assert all(entry.district not in by_id[p].districts for p in plan.assignments[entry.work_id])
        assert len(plan.assignments[entry.work_id]) + plan.short.get(entry.work_id, 0) == k
