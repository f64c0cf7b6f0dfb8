"""Pure rules of signing in: how long repeated failures lock a username, and the refusals."""

from datetime import datetime, timedelta

from shared.refusals import Kind, Refusal

FREE_SIGN_IN_FAILURES = 5
MAX_SIGN_IN_LOCK = timedelta(minutes=30)


def normal_username(username: str) -> str:
    """Usernames are matched without surrounding spaces and case."""
    return username.strip().lower()


def sign_in_lock(failures: int) -> timedelta | None:
    """How long a username is locked after this many consecutive failures (doubling, capped)."""
    if failures < FREE_SIGN_IN_FAILURES:
        return None
    return min(MAX_SIGN_IN_LOCK, timedelta(minutes=2 ** (failures - FREE_SIGN_IN_FAILURES)))


def locked_until(failures: int, now: datetime) -> datetime | None:
    """When the lock that this many failures earn ends (None: no lock)."""
    lock = sign_in_lock(failures)
    return now + lock if lock else None


def too_many_attempts(until: datetime, now: datetime) -> Refusal:
    """While a username is locked after repeated failures."""
    seconds = max(1, int((until - now).total_seconds()))
    return Refusal(Kind.TOO_MANY, "too_many_attempts",
                   f"تلاش‌های ناموفق زیاد بود؛ {seconds} ثانیه دیگر دوباره تلاش کنید.",
                   f"Too many failed sign-ins; try again in {seconds} seconds.", {"retry_after": seconds})


def bad_credentials() -> Refusal:
    """Unknown username or wrong password (the same answer for both)."""
    return Refusal(Kind.NOT_AUTHENTICATED, "bad_credentials", "نام کاربری یا گذرواژه درست نیست.",
                   "Wrong username or password.")


def username_taken() -> Refusal:
    """Another account has the username."""
    return Refusal(Kind.CONFLICT, "username_taken", "این نام کاربری قبلاً ثبت شده است.",
                   "This username is already taken.")
