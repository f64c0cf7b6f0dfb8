"""Pure rules of signing in and of accounts: how repeated failures lock a username at one client and a client that
tries many, whose district an account belongs to, and the refusals."""

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.refusals import Kind, Refusal

FREE_SIGN_IN_FAILURES = 5
MAX_SIGN_IN_LOCK = timedelta(minutes=30)
# Password spraying: many usernames tried from one client. More than CLIENT_FAILURES failures within CLIENT_WINDOW
# lock the client for CLIENT_LOCK, whatever the username (the right password included: it must not tell the
# sprayer which guess was right).
CLIENT_FAILURES = 20
CLIENT_WINDOW = timedelta(minutes=10)
CLIENT_LOCK = timedelta(minutes=15)
UNKNOWN_CLIENT = "unknown"
# Throttle rows with no failure (or window) and no lock in the last day are forgotten: an old failure must not
# count towards today's lock.
FORGOTTEN_AFTER = timedelta(days=1)


def normal_username(username: str) -> str:
    """Usernames are matched without surrounding spaces and case."""
    return username.strip().lower()


def client_key(host: str | None) -> str:
    """Whom the throttle counts: an IPv4 address as it is, an IPv6 address by its /64 network (one subscriber holds
    a whole /64 and could otherwise change address at every try), anything else as given."""
    if not host:
        return UNKNOWN_CLIENT
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def sign_in_lock(failures: int) -> timedelta | None:
    """How long a username is locked at one client after this many consecutive failures (doubling, capped)."""
    if failures < FREE_SIGN_IN_FAILURES:
        return None
    return min(MAX_SIGN_IN_LOCK, timedelta(minutes=2 ** (failures - FREE_SIGN_IN_FAILURES)))


def locked_until(failures: int, now: datetime) -> datetime | None:
    """When the lock that this many failures earn ends (None: no lock)."""
    lock = sign_in_lock(failures)
    return now + lock if lock else None


@dataclass(frozen=True)
class ClientFailures:
    """A client's failed sign-ins in its current window, and its lock."""

    window_started: datetime
    failures: int
    locked_until: datetime | None = None


def client_after_failure(current: ClientFailures | None, now: datetime) -> ClientFailures:
    """The client's count after one more failure: a new window once the last one has passed; locked when the window
    holds more than CLIENT_FAILURES."""
    if current is None or now - current.window_started >= CLIENT_WINDOW:
        current = ClientFailures(window_started=now, failures=0)
    failures = current.failures + 1
    return ClientFailures(current.window_started, failures, now + CLIENT_LOCK if failures > CLIENT_FAILURES else None)


def lock_in_force(*locks: datetime | None, now: datetime) -> datetime | None:
    """The latest of the locks that still hold (None: none does)."""
    return max((lock for lock in locks if lock and lock > now), default=None)


def account_district(membership_districts: list[int | None], organisation_district: int | None,
                     organisation_account: bool) -> int | None:
    """The district whose secretary may manage an account: an organisation's account belongs to the organisation's
    district; a person's, to the one district all their appointments are in. None (only the festival secretary
    manages it) when any appointment is city-wide, they span districts, or there are none."""
    if organisation_account:
        return organisation_district
    districts = set(membership_districts)
    return next(iter(districts)) if len(districts) == 1 and None not in districts else None


def too_many_attempts(until: datetime, now: datetime) -> Refusal:
    """While a username (at this client) or the client itself is locked after repeated failures."""
    seconds = max(1, int((until - now).total_seconds()))
    return Refusal(Kind.TOO_MANY, "too_many_attempts",
                   f"تلاش‌های ناموفق زیاد بود؛ {seconds} ثانیه دیگر دوباره تلاش کنید.",
                   f"Too many failed sign-ins; try again in {seconds} seconds.", {"retry_after": seconds})


def bad_credentials() -> Refusal:
    """Unknown username, wrong password, or a deactivated account (the same answer for all: nothing leaks)."""
    return Refusal(Kind.NOT_AUTHENTICATED, "bad_credentials", "نام کاربری یا گذرواژه درست نیست.",
                   "Wrong username or password.")


def wrong_current_password() -> Refusal:
    """Changing one's password with a wrong current one."""
    return Refusal(Kind.FORBIDDEN, "wrong_current_password", "گذرواژهٔ کنونی درست نیست.",
                   "The current password is wrong.")


def same_password() -> Refusal:
    """A new password that is the current one."""
    return Refusal(Kind.INVALID, "same_password", "گذرواژهٔ تازه باید با گذرواژهٔ کنونی فرق داشته باشد.",
                   "The new password must differ from the current one.")


def cannot_deactivate_self() -> Refusal:
    """Deactivating one's own account (the festival secretary could lock the festival out)."""
    return Refusal(Kind.CONFLICT, "cannot_deactivate_self", "نمی‌توانید حساب خودتان را غیرفعال کنید.",
                   "You cannot deactivate your own account.")


def username_taken() -> Refusal:
    """Another account has the username."""
    return Refusal(Kind.CONFLICT, "username_taken", "این نام کاربری قبلاً ثبت شده است.",
                   "This username is already taken.")


def own_password_reset() -> Refusal:
    """Resetting one's own password skips the current one: that is what changing it is for."""
    return Refusal(Kind.CONFLICT, "own_password", "گذرواژهٔ خودتان را با «تغییر گذرواژه» و گذرواژهٔ کنونی عوض کنید.",
                   "Change your own password with your current one (POST /auth/password).")
