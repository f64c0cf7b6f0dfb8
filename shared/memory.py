"""The cyclic garbage collector around bulk work.

Building tens of thousands of rows and events (a round's close) triggers collections that scan the whole heap again
and again yet free nothing: rows, dicts and events hold no reference cycles, and reference counting frees them. In a
close of 10,000 works they cost about a fifth of its time."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_holders = 0
_was_enabled = True


@contextmanager
def collection_paused() -> Iterator[None]:
    """Hold off the cyclic collector for the block. Nested and concurrent holders (tasks) are counted: the collector
    comes back when the last one leaves, and only if it was on when the first came."""
    global _holders, _was_enabled
    if _holders == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _holders += 1
    try:
        yield
    finally:
        _holders -= 1
        if _holders == 0 and _was_enabled:
            gc.enable()
