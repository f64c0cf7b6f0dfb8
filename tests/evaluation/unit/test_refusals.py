"""The evaluation refusals moved into the domain, each with its stable code: checked without a database."""

import uuid

import pytest

from services.evaluation.domain import (
    CLOSED,
    DEFAULT_RUBRIC,
    check_receivable,
    check_reopenable,
    checked_scores,
    too_few_evaluators,
)
from shared.refusals import Kind, Refusal


def refused(call, *args, **kwargs) -> Refusal:
    """The refusal the call raises."""
    with pytest.raises(Refusal) as raised:
        call(*args, **kwargs)
    return raised.value


def test_a_sheet_names_only_the_rubrics_criteria_and_a_submitted_one_scores_them_all() -> None:
    first = DEFAULT_RUBRIC[0]
    unknown = refused(checked_scores, {"charm": 5.0}, DEFAULT_RUBRIC, complete=False)
    assert (unknown.kind, unknown.code, unknown.details) == (Kind.INVALID, "unknown_criterion", ["charm"])
    draft = {first["code"]: float(first["max_score"])}
    assert checked_scores(draft, DEFAULT_RUBRIC, complete=False) == draft
    incomplete = refused(checked_scores, draft, DEFAULT_RUBRIC, complete=True)
    assert (incomplete.kind, incomplete.code) == (Kind.INVALID, "sheet_incomplete")
    assert first["code"] not in incomplete.details and len(incomplete.details) == len(DEFAULT_RUBRIC) - 1


def test_a_tier_1_round_does_not_reopen_once_its_category_went_to_the_jury() -> None:
    assert refused(check_reopenable, CLOSED, 1, receipt_confirmed=True).code == "receipt_confirmed"
    check_reopenable(CLOSED, 2, receipt_confirmed=True)  # the jury's own round may reopen


def test_the_receipt_needs_selections_and_a_round_needs_enough_evaluators() -> None:
    nothing = refused(check_receivable, tier1_open=False, selected=[])
    assert (nothing.kind, nothing.code) == (Kind.CONFLICT, "no_selections")
    short = too_few_evaluators({str(uuid.uuid4()): 2}, 3)
    assert (short.kind, short.code) == (Kind.CONFLICT, "too_few_evaluators") and short.fa and short.en
