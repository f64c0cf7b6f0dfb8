"""Pure webhook rules: AMQP topic patterns, when an endpoint counts as failing, signatures that expire."""

import time

import pytest

from services.notifications.webhooks.domain import (
    endpoint_failing,
    sign_webhook,
    topic_matches,
    valid_pattern,
    verify_webhook,
)


@pytest.mark.parametrize(("pattern", "key", "matches"), [
    ("evaluation.results.#", "evaluation.results.published.city", True),
    ("#", "submissions.work.received.d07", True),
    ("submissions.*.received.d07", "submissions.work.received.d07", True),
    ("submissions.*.received.d07", "submissions.work.received.d08", False),
    ("#.d07", "submissions.work.received.d07", True),
    ("submissions.work.#", "submissions.work", True),
    ("submissions.*", "submissions.work.received", False),
])
def test_webhook_patterns_follow_amqp_topic_rules(pattern: str, key: str, matches: bool) -> None:
    assert valid_pattern(pattern)
    assert topic_matches(pattern, key) is matches


def test_a_pattern_must_be_words_stars_or_hashes() -> None:
    assert not valid_pattern("evaluation..results") and not valid_pattern("eval*") and not valid_pattern("")


def test_a_signature_covers_timestamp_and_body_and_expires() -> None:
    body, now = b'{"type":"evaluation.results.published"}', time.time()
    signature = sign_webhook("s" * 32, int(now), body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert verify_webhook("s" * 32, int(now), body, signature, now=now)
    assert not verify_webhook("s" * 32, int(now), body + b" ", signature, now=now)
    assert not verify_webhook("s" * 32, int(now) + 1, body, signature, now=now)
    assert not verify_webhook("t" * 32, int(now), body, signature, now=now)
    assert not verify_webhook("s" * 32, int(now), body, signature, now=now + 301)


def test_an_endpoint_is_failing_after_the_threshold_of_failures_in_a_row() -> None:
    assert not endpoint_failing(4, 5) and endpoint_failing(5, 5)
