"""The chaos soak's fault schedule: the profile's faults, each kind spread over the run, at even gaps."""

from collections import Counter

import pytest

from bench.chaos.__main__ import options
from bench.chaos.schedule import (
    BROKER,
    DATABASE,
    GLOBAL_KINDS,
    NODE,
    PROFILES,
    SERVICES,
    SIGKILL,
    SIGTERM,
    STALL,
    Profile,
    build_schedule,
)


def test_the_short_profile_has_a_few_faults_of_each_kind_inside_the_load() -> None:
    schedule = build_schedule(PROFILES["short"], seconds=120, warmup=10, quiet_end=15)

    assert Counter(f.kind for f in schedule) == {BROKER: 2, NODE: 2, DATABASE: 2, SIGKILL: 4, SIGTERM: 4, STALL: 1}
    assert {f.target for f in schedule if f.kind == SIGKILL} == set(SERVICES)
    assert {f.target for f in schedule if f.kind == SIGTERM} == set(SERVICES)
    assert all(10 <= f.at <= 105 for f in schedule)


def test_the_long_profile_restarts_the_broker_20_times_postgresql_5_and_kills_every_service_twice() -> None:
    schedule = build_schedule(PROFILES["long"], seconds=PROFILES["long"].minutes * 60)

    kinds = Counter(f.kind for f in schedule)
    assert kinds[BROKER] + kinds[NODE] == 20 and kinds[NODE] == 5 and kinds[DATABASE] == 5
    assert Counter((f.kind, f.target) for f in schedule if f.kind in (SIGKILL, SIGTERM)) == {
        (kind, service): 2 for kind in (SIGKILL, SIGTERM) for service in SERVICES}
    assert PROFILES["long"].minutes >= 10


def test_faults_come_at_even_gaps_in_order() -> None:
    schedule = build_schedule(PROFILES["long"], seconds=720, warmup=20, quiet_end=20)

    times = [f.at for f in schedule]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert times == sorted(times) and max(gaps) - min(gaps) <= 0.2 and min(gaps) > 10


def test_each_kind_is_spread_over_the_run_rather_than_bunched() -> None:
    schedule = build_schedule(PROFILES["long"], seconds=720, warmup=0, quiet_end=0)

    for kind in (BROKER, DATABASE, SIGKILL):
        times = [f.at for f in schedule if f.kind == kind]
        assert times[0] < 720 * 0.25 and times[-1] > 720 * 0.75, (kind, times)


def test_kinds_can_be_left_out_such_as_the_faults_other_peoples_servers_would_feel() -> None:
    local = frozenset({SIGKILL, SIGTERM, STALL})
    schedule = build_schedule(PROFILES["short"], seconds=120, kinds=local)

    assert schedule and not {f.kind for f in schedule} & GLOBAL_KINDS
    assert build_schedule(PROFILES["short"], seconds=120, kinds=frozenset()) == []


def test_a_run_too_short_for_its_warm_up_and_quiet_end_is_refused() -> None:
    with pytest.raises(ValueError, match="no time for faults"):
        build_schedule(Profile(minutes=0.3, broker=1, nodes=0, postgresql=0, kill_rounds=0, stalls=0), seconds=18)


def test_the_command_line_refuses_an_unknown_fault_kind() -> None:
    assert options(["--faults", "sigkill,stall", "--minutes", "1"]).faults == ["sigkill", "stall"]
    with pytest.raises(SystemExit):
        options(["--faults", "sigkill,meteor"])
