"""Pure webhook rules: AMQP topic patterns, when an endpoint counts as failing, signatures that expire, which
addresses an endpoint may have; and production refusing the setting that lets webhooks reach this machine."""

import ipaddress
import time

import pytest
from pydantic import ValidationError

from services.notifications.settings import NotificationsSettings
from services.notifications.webhooks.domain import (
    address_allowed,
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


def test_production_refuses_webhooks_to_private_targets() -> None:
    production = {"env": "production", "amqp_url": "amqp://hami:secret@mq/",
                  "database_url": "postgresql+asyncpg://hami:secret@db/hami_notifications"}
    with pytest.raises(ValidationError, match="webhook_allow_private_targets"):
        NotificationsSettings(**production, webhook_allow_private_targets=True)
    assert NotificationsSettings(**production).webhook_allow_private_targets is False
    assert NotificationsSettings().webhook_allow_private_targets is False  # off unless a configuration says so


@pytest.mark.parametrize(("host", "allowed"), [
    ("93.184.215.14", True), ("2606:4700::1111", True), ("127.0.0.1", False), ("10.0.0.1", False),
    ("100.100.100.200", False), ("169.254.169.254", False), ("fd00:ec2::254", False), ("::ffff:8.8.8.8", False),
    ("224.0.0.251", False), ("0.0.0.0", False), ("192.0.2.1", False), ("198.18.0.1", False), ("fec0::1", False),
])
def test_only_public_unicast_addresses_are_allowed(host: str, allowed: bool) -> None:
    assert address_allowed(ipaddress.ip_address(host)) is allowed
