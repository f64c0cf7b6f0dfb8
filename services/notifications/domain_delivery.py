"""Pure delivery rules: quiet hours, retry backoff, webhook patterns and signatures, SMS length, opt-out links."""

import base64
import hashlib
import hmac
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from services.notifications.domain import DEAD, FAILED
from shared.persian import TEHRAN

_HOURS = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])", re.ASCII)
_GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")


# --- quiet hours --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuietHours:
    """A daily window in Tehran time when no SMS leaves; start == end means never quiet."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> "QuietHours":
        """'21:00-08:00' -> quiet from 21:00 until 08:00 the next morning."""
        match = _HOURS.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"quiet hours must look like 21:00-08:00, not {text!r}")
        hour1, minute1, hour2, minute2 = (int(part) for part in match.groups())
        return cls(time(hour1, minute1), time(hour2, minute2))

    def contains(self, moment: datetime) -> bool:
        """True when the aware moment falls inside the window (Tehran time)."""
        local = moment.astimezone(TEHRAN).time()
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_allowed(self, moment: datetime) -> datetime:
        """The moment itself when outside the window, else when the window ends (Tehran time, aware)."""
        if not self.contains(moment):
            return moment
        local = moment.astimezone(TEHRAN)
        end = datetime.combine(local.date(), self.end, tzinfo=TEHRAN)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), self.end, tzinfo=TEHRAN)
        return end


def sms_send_time(now: datetime, quiet: QuietHours, *, spread_seconds: float,
                  rand: Callable[[], float] = random.random) -> datetime:
    """When an SMS recorded now may leave: now, or after the quiet window with a random spread."""
    allowed = quiet.next_allowed(now)
    if allowed == now:
        return now
    return allowed + timedelta(seconds=spread_seconds * rand())


# --- retries ------------------------------------------------------------------------------------


def retry_delay(attempts: int, *, base: float, cap: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds before the next try after `attempts` failed ones: exponential, capped, with equal jitter."""
    ceiling = min(cap, base * 2 ** max(0, attempts - 1))
    return ceiling / 2 + ceiling / 2 * rand()


def after_failure(attempts: int, *, permanent: bool, max_attempts: int) -> str:
    """Status after a failed try: failed (retry later) or dead (permanent error or out of attempts)."""
    return DEAD if permanent or attempts >= max_attempts else FAILED


def endpoint_failing(consecutive_failures: int, threshold: int) -> bool:
    """An endpoint that failed this many times in a row is marked failing and no longer tried."""
    return consecutive_failures >= threshold


# --- webhooks -----------------------------------------------------------------------------------


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


def sign_webhook(secret: str, timestamp: int, body: bytes) -> str:
    """X-Hami-Signature: 'sha256=' + hex HMAC-SHA256 of '<timestamp>.' + body with the endpoint's secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_webhook(secret: str, timestamp: int, body: bytes, signature: str, *, now: float,
                   tolerance: float = 300.0) -> bool:
    """What a receiver checks: a fresh timestamp and a matching signature (constant-time compare)."""
    fresh = abs(now - timestamp) <= tolerance
    return fresh and hmac.compare_digest(sign_webhook(secret, timestamp, body), signature)


# --- SMS ----------------------------------------------------------------------------------------


def sms_parts(text: str) -> int:
    """How many SMS a text takes: GSM-7 160/153 per part, else UCS-2 (Persian) 70/67 per part."""
    single, multi = (160, 153) if set(text) <= _GSM7 else (70, 67)
    return 1 if len(text) <= single else -(-len(text) // multi)


# --- opt-out links and secrets ------------------------------------------------------------------


def opt_out_token(secret: str, channel: str, address: str) -> str:
    """A link token that proves the holder received mail at this address (no expiry: links stay valid)."""
    subject = f"{channel}:{address}".encode()
    mac = hmac.new(secret.encode(), subject, hashlib.sha256).digest()[:16]
    return _b64(subject) + "." + _b64(mac)


def read_opt_out_token(secret: str, token: str) -> tuple[str, str] | None:
    """(channel, address) of a genuine token, else None."""
    try:
        subject_part, mac_part = token.split(".", 1)
        subject = base64.urlsafe_b64decode(subject_part + "=" * (-len(subject_part) % 4))
        mac = base64.urlsafe_b64decode(mac_part + "=" * (-len(mac_part) % 4))
    except (ValueError, TypeError):
        return None
    expected = hmac.new(secret.encode(), subject, hashlib.sha256).digest()[:16]
    if not hmac.compare_digest(expected, mac):
        return None
    channel, _, address = subject.decode(errors="replace").partition(":")
    return channel, address


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with every non-empty secret replaced, so provider errors never leak keys into logs."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
