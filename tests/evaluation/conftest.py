"""Evaluation's integration tests share one running system."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run evaluation's access tests after its other tests: they appoint a persona to the jury, whom the jury
    rounds of the other tests would then draw as an evaluator who never scores."""
    ours = [i for i, item in enumerate(items) if "/tests/evaluation/" in str(item.path)]
    if not ours:
        return
    block = items[ours[0]:ours[-1] + 1]
    access = [item for item in block if item.path.name == "test_access.py" and item.path.parent.name == "evaluation"]
    rest = [item for item in block if item not in access]
    items[ours[0]:ours[-1] + 1] = rest + access
