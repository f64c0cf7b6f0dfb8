"""An in-process token bucket per client, for the public tracking lookup.

Each replica keeps its own buckets, so with N replicas behind a balancer a client gets at most N times the
rate; that is acceptable for its purpose (stop guessing codes and mobiles), and needs no shared store.
"""

import math
import time
from collections import OrderedDict
from collections.abc import Callable


class TokenBucketLimiter:
    """`burst` requests at once per key, refilled at `per_minute`; the least recently seen keys are forgotten
    beyond `max_keys` (a forgotten key starts with a full bucket, which is harmless)."""

    def __init__(self, *, per_minute: float, burst: int, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be positive and burst at least 1")
        self._rate, self._burst, self._max_keys, self._clock = per_minute / 60.0, float(burst), max_keys, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, key: str) -> float:
        """Spend one token for the key: 0.0 when allowed, else seconds until a token is available."""
        now = self._clock()
        tokens, seen = self._buckets.pop(key, (self._burst, now))
        tokens = min(self._burst, tokens + (now - seen) * self._rate)
        if tokens >= 1.0:
            self._remember(key, tokens - 1.0, now)
            return 0.0
        self._remember(key, tokens, now)
        return (1.0 - tokens) / self._rate

    def retry_after(self, key: str) -> int:
        """Take a token; the whole seconds to wait (0 when allowed), for a Retry-After header."""
        wait = self.take(key)
        return math.ceil(wait) if wait > 0 else 0

    def _remember(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
