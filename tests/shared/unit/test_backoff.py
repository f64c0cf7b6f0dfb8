"""`hami run`'s pauses between restarts of a service that keeps dying."""

from ops.supervisor import Backoff


def test_pauses_double_up_to_thirty_seconds() -> None:
    backoff = Backoff()
    assert [backoff.after_exit(ran_for=2) for _ in range(8)] == [1, 2, 4, 8, 16, 30, 30, 30]


def test_a_run_of_a_minute_starts_the_pauses_over() -> None:
    backoff = Backoff()
    assert [backoff.after_exit(ran_for=5) for _ in range(4)] == [1, 2, 4, 8]
    assert backoff.after_exit(ran_for=60) == 1
    assert backoff.after_exit(ran_for=59) == 2
