"""Pure rules about people: their contact details, canonical and checked."""

import re

from shared.persian import canonical_mobile, normalize_text
from shared.principal import BodyKind, Role
from shared.refusals import Kind, Refusal

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", re.ASCII)


def canonical_contact(name: str, mobile: str | None, email: str | None) -> tuple[str, str | None, str | None]:
    """Normalised name, canonical mobile (09...) and lower-case email; refusals per field."""
    name = normalize_text(name)
    if len(name) < 2:
        raise Refusal(Kind.INVALID, "invalid_name", "نام را کامل بنویسید.", "The name is missing.")
    if mobile:
        try:
            mobile = canonical_mobile(mobile)
        except ValueError:
            raise Refusal(Kind.INVALID, "invalid_mobile", "شماره همراه معتبر نیست.",
                          "The mobile number is not valid.") from None
    if email:
        email = email.strip().lower()
        if not EMAIL.fullmatch(email):
            raise Refusal(Kind.INVALID, "invalid_email", "نشانی ایمیل معتبر نیست.", "The email address is not valid.")
    return name, mobile or None, email or None


def already_appointed() -> Refusal:
    """The person holds the role in the body already."""
    return Refusal(Kind.CONFLICT, "already_appointed", "این شخص همین نقش را در این نهاد دارد.",
                   "The person already holds this role in this body.")


# The roles that head a body, held by one person at a time when handed over (the festival secretary is the
# festival_secretary body's secretary; a secretariat's head its chair or secretary).
HEAD_ROLES = frozenset({Role.CHAIR, Role.SECRETARY})


def check_head_role(role: str) -> None:
    """Only a body's head (chair or secretary) is handed over; other roles are appointed and removed one by one."""
    if role not in HEAD_ROLES:
        raise Refusal(Kind.INVALID, "not_a_head_role", "فقط نقش رئیس یا دبیر یک نهاد تحویل داده می‌شود.",
                      "Only a body's chair or secretary is handed over.", sorted(HEAD_ROLES))


# Offices one person holds at a time: "دبیر جشنواره: منتخب شورای سیاست‌گذاری" names one festival secretary, whom the
# council replaces by a hand-over; a plain appointment would seat a second one beside them.
SINGLE_HOLDER_OFFICES = frozenset({(BodyKind.FESTIVAL_SECRETARY, Role.SECRETARY)})


def check_office_free(held: bool) -> None:
    """A single-holder office already held is handed over, not appointed to a second time."""
    if held:
        raise Refusal(Kind.CONFLICT, "office_held",
                      "این سمت یک متصدی دارد و اکنون پر است؛ برای جایگزینی، آن را تحویل دهید "
                      "(PUT /bodies/{code}/holders/{role}).",
                      "This office has one holder and is held; hand it over to replace them "
                      "(PUT /bodies/{code}/holders/{role}).")
