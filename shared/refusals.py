"""Refusals: what a use case or domain rule says when it will not do something, apart from HTTP.

A refusal has a kind (what sort of "no" it is), a stable code clients can act on, and a Persian and an English
message. The web layer (shared/errors.py) maps kinds to status codes; consumers and pages use them as they are.
"""

from enum import StrEnum


class Kind(StrEnum):
    """What sort of refusal; decides the HTTP status in one place (shared/errors.py)."""

    NOT_AUTHENTICATED = "not_authenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID = "invalid"
    MALFORMED = "malformed"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    TOO_MANY = "too_many"
    UNAVAILABLE = "unavailable"


class Refusal(Exception):
    """A refusal the caller can act on; raising one changes nothing (its transaction rolls back)."""

    def __init__(self, kind: Kind, code: str, fa: str, en: str, details: object = None) -> None:
        super().__init__(en)
        self.kind, self.code, self.fa, self.en, self.details = kind, code, fa, en, details

    def body(self) -> dict:
        """The refusal as the JSON error shape every service answers with."""
        error = {"code": self.code, "message_fa": self.fa, "message_en": self.en}
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


def not_authenticated() -> Refusal:
    """No valid sign-in."""
    return Refusal(Kind.NOT_AUTHENTICATED, "not_authenticated", "ابتدا وارد سامانه شوید.", "Sign in first.")


def forbidden() -> Refusal:
    """Signed in but not allowed."""
    return Refusal(Kind.FORBIDDEN, "forbidden", "شما اجازهٔ این کار را ندارید.", "You are not allowed to do this.")


def not_found(what_fa: str, what_en: str) -> Refusal:
    """Something missing, or hidden from this caller."""
    return Refusal(Kind.NOT_FOUND, "not_found", f"{what_fa} پیدا نشد.", f"{what_en} not found.")
