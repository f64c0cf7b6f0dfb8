"""The cyclic collector held off around bulk work: back on when the last holder leaves, and only if it was on."""

import gc

import pytest

from shared.memory import collection_paused


@pytest.fixture(autouse=True)
def collector_restored():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def test_nested_holders_keep_it_off_until_the_last_leaves_even_through_an_error() -> None:
    gc.enable()
    with pytest.raises(ValueError):
        with collection_paused():
            assert not gc.isenabled()
            with collection_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the outer holder is still inside
            raise ValueError("a close that failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with collection_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
