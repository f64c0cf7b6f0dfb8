"""The intake benchmark's measures: the paced run's pause, and CPU time that survives a process ending."""

import os
import subprocess
import sys

import pytest

from bench.intake import cpu_seconds, pause_ms

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"


def test_the_pause_and_a_response_make_each_connections_cycle_at_the_rate() -> None:
    pause = pause_ms(60.0, 8, response_ms=25.0)

    assert 8 / ((pause + 25.0) / 1000) == pytest.approx(60.0)
    assert pause_ms(None, 8, response_ms=25.0) == 0.0  # not paced
    assert pause_ms(1000.0, 8, response_ms=25.0) == 1.0  # responses alone are slower than the rate: the least pause


def test_a_child_that_ended_during_the_run_still_counts() -> None:
    """A PostgreSQL backend that ends hands its CPU time to the postmaster's children's time."""
    me = {"bench": [os.getpid()]}
    before = cpu_seconds(me)

    subprocess.run([sys.executable, "-c", BURN], check=True)

    assert cpu_seconds(me)["bench"] - before["bench"] >= 0.25
