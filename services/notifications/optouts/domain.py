"""Pure opt-out rules: signed opt-out link tokens, and the canonical form of an address staff type in."""

import base64
import hashlib
import hmac

from services.notifications.delivery.domain import SMS, normalize_address
from shared.persian import canonical_mobile
from shared.refusals import Kind, Refusal, not_found


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


def canonical(channel: str, address: str) -> str:
    """An address as the ledger stores it (a mobile in 09... form, a mail address in lower case); a mobile or a mail
    address that is not one is refused."""
    if channel == SMS:
        try:
            return canonical_mobile(address)
        except ValueError:
            raise Refusal(Kind.INVALID, "invalid_mobile", "شماره همراه معتبر نیست.",
                          "The mobile number is not valid.") from None
    address = normalize_address(channel, address)
    local, at, domain = address.rpartition("@")
    if not (local and at and domain) or any(char.isspace() for char in address):
        raise Refusal(Kind.INVALID, "invalid_email", "نشانی ایمیل معتبر نیست.", "The email address is not valid.")
    return address


def no_such_opt_out() -> Refusal:
    """The address had not opted out."""
    return not_found("انصراف", "Opt-out")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
