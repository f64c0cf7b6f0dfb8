"""Pure delivery rules: channels and ledger statuses, opt-outs, quiet hours, retry backoff, SMS length."""

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from shared.persian import TEHRAN
from shared.refusals import Kind, Refusal

EMAIL, SMS, INBOX, WEBHOOK = "email", "sms", "inbox", "webhook"
CHANNELS = (EMAIL, SMS, INBOX, WEBHOOK)
# Ledger statuses: pending (not tried yet), sent, failed (will be retried), dead (given up),
# suppressed (deliberately not sent: the recipient opted out of non-essential messages).
PENDING, SENT, FAILED, DEAD, SUPPRESSED = "pending", "sent", "failed", "dead", "suppressed"
STATUSES = (PENDING, SENT, FAILED, DEAD, SUPPRESSED)
RETRYABLE = (FAILED, DEAD)  # what staff (or a resumed endpoint) may send again

_HOURS = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])", re.ASCII)
_GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")


def may_send(*, essential: bool, opted_out: bool) -> bool:
    """Opting out stops non-essential messages only; tracking codes, results and duties always go."""
    return essential or not opted_out


def normalize_address(channel: str, address: str) -> str:
    """The form addresses are stored and compared in (lower-case email, mobile as given: canonical)."""
    return address.strip().lower() if channel == EMAIL else address.strip()


def choice(value: str | None, allowed: tuple[str, ...], name: str) -> str | None:
    """The value when it is one of `allowed` (or None); refused as invalid otherwise."""
    if value is not None and value not in allowed:
        raise Refusal(Kind.INVALID, "invalid_input", f"مقدار {name} معتبر نیست.", f"Unknown {name}.",
                      {"allowed": list(allowed)})
    return value


def not_retryable() -> Refusal:
    """Only failed or dead rows are sent again."""
    return Refusal(Kind.CONFLICT, "not_retryable", "فقط پیام‌های ناموفق دوباره فرستاده می‌شوند.",
                   "Only failed or dead deliveries can be retried.")


def endpoint_not_active() -> Refusal:
    """A webhook delivery is not sent to an endpoint marked failing or disabled: resuming the endpoint resends it."""
    return Refusal(Kind.CONFLICT, "endpoint_not_active",
                   "این وب‌هوک ناموفق یا غیرفعال است؛ در صفحهٔ وب‌هوک‌ها آن را دوباره فعال کنید تا پیام‌های مانده‌اش "
                   "دوباره فرستاده شوند.",
                   "This webhook is failing or disabled; resume it on the webhooks page to send what it missed.")


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


# --- SMS and provider errors --------------------------------------------------------------------


def sms_parts(text: str) -> int:
    """How many SMS a text takes: GSM-7 160/153 per part, else UCS-2 (Persian) 70/67 per part."""
    single, multi = (160, 153) if set(text) <= _GSM7 else (70, 67)
    return 1 if len(text) <= single else -(-len(text) // multi)


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with every non-empty secret replaced, so provider errors never leak keys into logs."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
