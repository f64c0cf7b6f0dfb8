"""Reading grants: evaluation lets an evaluator read the documents of a work assigned to them, and submissions, which
keeps the documents but not the assignments, checks the grant instead of its own permissions.

A grant is the moment it expires and an HMAC (with the festival's document key) of the work, the person and that
moment: it is useless to anyone else signed in, for any other work, and after it expires. It travels in a link,
so no event or projection is needed for a permission that lasts a reading session.
"""

import hashlib
import hmac
import uuid
from datetime import datetime, timedelta

from shared.refusals import Kind, Refusal

GRANT_HOURS = 12
SIGNATURE_LENGTH = 32  # hex characters: 128 bits


def _signature(key: str, work_id: uuid.UUID, subject: str, expires: int) -> str:
    message = f"read-documents:{work_id}:{subject}:{expires}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:SIGNATURE_LENGTH]


def reading_grant(key: str, work_id: uuid.UUID, subject: str, now: datetime) -> str:
    """A grant for this person to read this work's documents for the next GRANT_HOURS hours."""
    expires = int((now + timedelta(hours=GRANT_HOURS)).timestamp())
    return f"{expires}.{_signature(key, work_id, subject, expires)}"


def grant_refused() -> Refusal:
    """The refusal of a grant that is not this person's, not this work's, malformed or expired."""
    return Refusal(Kind.FORBIDDEN, "reading_grant_invalid",
                   "این پیوند برای دیدن پیوست‌ها معتبر نیست یا زمانش گذشته است؛ از صفحهٔ ارزیابی اثر دوباره باز کنید.",
                   "This link to the documents is invalid or has expired; open it again from the work's evaluation "
                   "page.")


def check_reading_grant(key: str, grant: str, work_id: uuid.UUID, subject: str, now: datetime) -> None:
    """Refuse unless the grant lets this person read this work's documents now."""
    expires_text, _, signature = grant.partition(".")
    if not (expires_text.isascii() and expires_text.isdigit() and len(expires_text) <= 12):
        raise grant_refused()
    expires = int(expires_text)
    expected = _signature(key, work_id, subject, expires)
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")) or now.timestamp() > expires:
        raise grant_refused()
