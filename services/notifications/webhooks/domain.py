"""Pure webhook rules: endpoint states, topic patterns, when an endpoint counts as failing, signatures."""

import hashlib
import hmac
import re

from shared.refusals import Refusal, not_found

# An endpoint is active, failing (not tried; its deliveries wait, dead, for a resume) or disabled by staff.
ACTIVE, FAILING, DISABLED = "active", "failing", "disabled"


def unknown_webhook() -> Refusal:
    """The endpoint does not exist."""
    return not_found("وب‌هوک", "Webhook")


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic semantics: '*' is one word, '#' zero or more; e.g. 'evaluation.results.#'."""
    def match(p: list[str], k: list[str]) -> bool:
        if not p:
            return not k
        if p[0] == "#":
            return any(match(p[1:], k[i:]) for i in range(len(k) + 1))
        return bool(k) and (p[0] == "*" or p[0] == k[0]) and match(p[1:], k[1:])
    return match(pattern.split("."), routing_key.split("."))


def valid_pattern(pattern: str) -> bool:
    """A topic pattern of dot-separated words, '*' or '#'."""
    return re.fullmatch(r"(?:[a-z0-9_]+|\*|#)(?:\.(?:[a-z0-9_]+|\*|#))*", pattern, re.ASCII) is not None


def endpoint_failing(consecutive_failures: int, threshold: int) -> bool:
    """An endpoint that failed this many times in a row is marked failing and no longer tried."""
    return consecutive_failures >= threshold


def sign_webhook(secret: str, timestamp: int, body: bytes) -> str:
    """X-Hami-Signature: 'sha256=' + hex HMAC-SHA256 of '<timestamp>.' + body with the endpoint's secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_webhook(secret: str, timestamp: int, body: bytes, signature: str, *, now: float,
                   tolerance: float = 300.0) -> bool:
    """What a receiver checks: a fresh timestamp and a matching signature (constant-time compare)."""
    fresh = abs(now - timestamp) <= tolerance
    return fresh and hmac.compare_digest(sign_webhook(secret, timestamp, body), signature)
