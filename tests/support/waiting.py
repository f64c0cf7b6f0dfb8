"""Test helpers moved out of test_slice.py so no test module imports another."""

import asyncio
import inspect
import time

import pytest


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.2):
    """Poll until the predicate returns something truthy; fail with a message after the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")


async def wait_for_async(predicate, timeout: float = 60.0, interval: float = 0.1):
    """wait_for inside an event loop: the loop keeps running (consumers, brokers) while it polls. The predicate may
    return an awaitable (a query), which is awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        await asyncio.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")
