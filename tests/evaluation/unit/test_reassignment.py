"""The pure rules of rounds that finish (issue #12): who may take a work an evaluator leaves, when a work may be
taken from an evaluator at all, when a round closes with a quorum, and how a deadline reads in Jalali."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.evaluation.assignment import Candidate, Entry, pick_successor
from services.evaluation.domain import (
    CLOSED,
    DRAFT,
    OPEN,
    SUBMITTED,
    check_quorum,
    check_reassignable,
    check_successor,
)
from shared.refusals import Refusal


def uid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


WORK = Entry(uid(100), district=4, submitter_mobile="09120000001", organisation="mehr-ngo")


def code_of(call) -> str | None:
    """The refusal's code, or None when the call passes."""
    try:
        call()
    except Refusal as refusal:
        return refusal.code
    return None


def test_the_successor_is_the_least_loaded_free_candidate() -> None:
    plan = {uid(100): [uid(1)], uid(101): [uid(2)], uid(102): [uid(2)]}
    candidates = [Candidate(uid(n)) for n in (1, 2, 3, 4)]
    assert pick_successor(candidates, WORK, set(), plan, tier=1) == uid(3)  # 1 holds it; 3 and 4 free, 3 by id
    assert pick_successor(candidates, WORK, {(uid(3), uid(100))}, plan, tier=1) == uid(4)  # declared or held before
    assert pick_successor(candidates, WORK, {(uid(3), uid(100)), (uid(4), uid(100))}, plan, tier=1) == uid(2)


def test_no_successor_in_conflict_or_when_nobody_is_free() -> None:
    own = Candidate(uid(5), mobile="09120000001")
    member = Candidate(uid(6), organisations=frozenset({"mehr-ngo"}))
    juror_at_home = Candidate(uid(7), districts=frozenset({4}))
    assert pick_successor([own, member], WORK, set(), {}, tier=1) is None
    assert pick_successor([juror_at_home], WORK, set(), {}, tier=2) is None
    assert pick_successor([juror_at_home], WORK, set(), {}, tier=1) == uid(7)  # a district member judges at home


@pytest.mark.parametrize(("state", "assigned", "sheet", "code"), [
    (OPEN, True, None, None), (OPEN, True, DRAFT, None), (CLOSED, True, None, "round_closed"),
    (OPEN, False, None, "not_assigned"), (OPEN, True, SUBMITTED, "sheet_submitted"),
])
def test_when_a_work_may_be_taken_from_an_evaluator(state: str, assigned: bool, sheet: str | None,
                                                     code: str | None) -> None:
    assert code_of(lambda: check_reassignable(state, assigned=assigned, sheet_state=sheet)) == code


@pytest.mark.parametrize(("eligible", "holds", "held_before", "conflict", "code"), [
    (True, False, False, None, None), (False, False, False, None, "not_eligible"),
    (True, True, False, None, "already_assigned"), (True, False, True, None, "already_assigned"),
    (True, False, False, "own_submission", "conflict_of_interest"),
])
def test_who_may_take_the_work(eligible: bool, holds: bool, held_before: bool, conflict: str | None,
                               code: str | None) -> None:
    assert code_of(lambda: check_successor(eligible=eligible, holds=holds, held_before=held_before,
                                           conflict=conflict)) == code


def test_a_quorum_close_waits_for_the_deadline_and_names_the_absent() -> None:
    deadline = datetime(2026, 1, 1, tzinfo=UTC)
    plan = {uid(100): [uid(1), uid(2), uid(3)], uid(101): [uid(1), uid(2)]}
    submitted = {(uid(100), uid(1)), (uid(100), uid(2)), (uid(101), uid(1)), (uid(101), uid(2))}
    assert code_of(lambda: check_quorum(deadline, deadline - timedelta(seconds=1), plan, submitted, [], 2)) == \
        "before_deadline"
    assert code_of(lambda: check_quorum(None, deadline, plan, submitted, [], 2)) == "before_deadline"
    assert check_quorum(deadline, deadline, plan, submitted, [], 2) == {uid(100): [uid(3)], uid(101): []}
    assert code_of(lambda: check_quorum(deadline, deadline, plan, submitted, [], 3)) == "under_quorum"
    assert code_of(lambda: check_quorum(deadline, deadline, plan, submitted, [str(uid(102))], 2)) == "under_quorum"

