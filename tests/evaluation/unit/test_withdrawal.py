"""What a withdrawal does, by where the work stands when it arrives (the rule the use case follows)."""

import pytest

from services.evaluation.domain import (
    ADVANCED_TIER_1,
    AWAITING_TIER_1,
    AWARDED,
    IN_TIER_1,
    IN_TIER_2,
    NOT_ADVANCED_TIER_1,
    NOT_AWARDED,
    WITH_JURY,
    WITHDRAWN,
    Withdrawal,
    withdrawal_effect,
)


@pytest.mark.parametrize(("status", "open_round", "effect"), [
    (None, False, Withdrawal.BEFORE_RECEIVED),
    (AWAITING_TIER_1, False, Withdrawal.BEFORE_ROUND),
    (WITH_JURY, False, Withdrawal.BEFORE_ROUND),
    (IN_TIER_1, True, Withdrawal.LEFT_ROUND),
    (IN_TIER_2, True, Withdrawal.LEFT_ROUND),
    (IN_TIER_2, False, Withdrawal.AFTER_CLOSE),  # the jury's round closed, awards proposed, not yet published
    (ADVANCED_TIER_1, False, Withdrawal.AFTER_CLOSE),
    (NOT_ADVANCED_TIER_1, False, Withdrawal.AFTER_CLOSE),
    (AWARDED, False, Withdrawal.AFTER_RESULTS),
    (NOT_AWARDED, False, Withdrawal.AFTER_RESULTS),
    (WITHDRAWN, False, Withdrawal.ALREADY),
    (WITHDRAWN, True, Withdrawal.ALREADY),
])
def test_a_withdrawal_takes_the_work_out_wherever_it_stands(status: str | None, open_round: bool,
                                                            effect: Withdrawal) -> None:
    assert withdrawal_effect(status, open_round=open_round) == effect
