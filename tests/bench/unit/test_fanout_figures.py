"""The fan-out benchmark's figures: percentiles over a handful of samples, and its report's rows."""

from bench.fanout import percentiles, persian, report


def test_p99_of_twenty_samples_is_the_worst_and_p50_the_median() -> None:
    found = percentiles([i / 100 for i in range(1, 21)])  # 10 ms .. 200 ms

    assert found == {"p50_ms": 105.0, "p99_ms": 200.0, "mean_ms": 105.0, "samples": 20}


def test_the_marker_is_in_persian_digits_as_the_messages_show_it() -> None:
    assert persian(1405) == "۱۴۰۵"


def test_the_report_has_a_row_per_phase_idle_first() -> None:
    figures = {"p50_ms": 300.0, "p99_ms": 500.0, "mean_ms": 320.0, "samples": 20}
    phases = [{"rate": 0, "works_accepted": 0, "hami": figures, "relay_answered": figures, "baseline": figures},
              {"rate": 25.0, "works_accepted": 900, "hami": figures, "relay_answered": figures, "baseline": figures}]

    rows = report(phases).splitlines()[2:]

    assert rows[0].startswith("| none (idle) | 300 / 500 |")
    assert rows[1].startswith("| 25/s (900 accepted) | 300 / 500 |")
