"""Pure rules of who submits a work: a citizen, or a registered organisation through the person who represents
it; canonical identifiers, and the columns a work stores about them."""

from dataclasses import dataclass

from services.submissions.permissions import not_own_organisation
from shared.persian import canonical_legal_entity_id, canonical_mobile, canonical_national_id, normalize_text
from shared.refusals import Kind, Refusal

CITIZEN, ORGANISATION = "citizen", "organisation"


@dataclass(frozen=True)
class Submitter:
    """A citizen who submits a work (or an organisation's representative), in canonical form."""

    name: str
    national_id: str
    mobile: str


@dataclass(frozen=True)
class SubmitterDraft:
    """Who submits, as the request names them: a citizen, or a registered organisation (by its registry code
    and/or legal-entity ID, canonical) and the person who represents it."""

    person: Submitter
    kind: str = CITIZEN
    organisation_code: str | None = None
    organisation_legal_id: str | None = None


def unknown_organisation() -> Refusal:
    """The organisation named is not registered (or no longer active)."""
    return Refusal(Kind.INVALID, "unknown_organisation", "این سازمان در سامانه‌ی جشنواره ثبت نشده است.",
                   "This organisation is not registered with the festival.")


def organisation_inactive() -> Refusal:
    """An organisation's own account acting while its organisation is deactivated (or unknown to the festival)."""
    return Refusal(Kind.FORBIDDEN, "organisation_inactive",
                   "این سازمان در جشنواره فعال نیست و حساب آن نمی‌تواند اثری ثبت یا ویرایش کند.",
                   "This organisation is not active with the festival: its account can no longer submit or edit.")


def outside_organisation_district(district: int | None) -> Refusal:
    """An organisation's own account acting in a district its organisation does not work in."""
    return Refusal(Kind.FORBIDDEN, "outside_organisation_district",
                   "این سازمان فقط در منطقه‌ی خود اثر ثبت می‌کند.",
                   "This organisation submits only in the district it works in.", {"district": district})


def check_organisation_account(organisation: dict | None, district: int) -> None:
    """An organisation's own account submits or changes works only while its organisation is registered and
    active, and only in the district the organisation works in (registry's district of it; anywhere when it is
    registered for no district in particular, as the work form's choice of organisations reads it)."""
    if organisation is None or not organisation["active"]:
        raise organisation_inactive()
    if organisation["district"] is not None and organisation["district"] != district:
        raise outside_organisation_district(organisation["district"])


def check_own_submitter(account: str, submitter: SubmitterDraft, organisation: dict | None) -> None:
    """An organisation's own account names only its own organisation as a work's submitter (by its code or its
    legal-entity ID): never a citizen, never another organisation."""
    named = organisation["code"] if organisation is not None else submitter.organisation_code
    if submitter.kind != ORGANISATION or named not in (None, account) \
            or submitter.organisation_code not in (None, account):
        raise not_own_organisation()


def canonical_submitter(name: str, national_id: str, mobile: str) -> Submitter:
    """Normalise and validate a submitter; refusals carry a code per field."""
    try:
        national_id = canonical_national_id(national_id)
    except ValueError:
        raise Refusal(Kind.INVALID, "invalid_national_id", "کد ملی معتبر نیست.",
                      "The national ID is not valid.") from None
    try:
        mobile = canonical_mobile(mobile)
    except ValueError:
        raise Refusal(Kind.INVALID, "invalid_mobile", "شماره همراه معتبر نیست.",
                      "The mobile number is not valid.") from None
    name = normalize_text(name)
    if len(name) < 2:
        raise Refusal(Kind.INVALID, "invalid_name", "نام ارسال‌کننده را کامل بنویسید.",
                      "The submitter's name is missing.")
    return Submitter(name=name, national_id=national_id, mobile=mobile)


def organisation_reference(code: str | None, legal_entity_id: str | None) -> tuple[str | None, str | None]:
    """How a registered organisation is named in a request: its registry code and/or its legal-entity ID
    (checksum validated), canonical."""
    if not (code or "").strip() and not (legal_entity_id or "").strip():
        raise Refusal(Kind.INVALID, "organisation_required", "شناسه یا کد ثبت سازمان را بنویسید.",
                      "Give the organisation's registry code or legal-entity ID.")
    if legal_entity_id is not None and legal_entity_id.strip():
        try:
            legal_entity_id = canonical_legal_entity_id(legal_entity_id)
        except ValueError:
            raise Refusal(Kind.INVALID, "invalid_legal_entity_id", "شناسه ملی سازمان معتبر نیست.",
                          "The organisation's legal-entity ID is not valid.") from None
    else:
        legal_entity_id = None
    code = code.strip().lower() if code and code.strip() else None
    return code, legal_entity_id


def submitter_id(submitter: SubmitterDraft, organisation: dict | None) -> str:
    """Who the submitter is for duplicates: the organisation's registry code, else the person's national ID."""
    return organisation["code"] if organisation is not None else submitter.person.national_id


def submitter_columns(submitter: SubmitterDraft, organisation: dict | None) -> dict:
    """The work's submitter columns; an organisation must have been found registered and active."""
    if submitter.kind == ORGANISATION and organisation is None:
        raise unknown_organisation()
    found = organisation if submitter.kind == ORGANISATION else None
    return {"submitter_kind": submitter.kind, "submitter_name": submitter.person.name,
            "submitter_national_id": submitter.person.national_id, "submitter_mobile": submitter.person.mobile,
            "organisation_code": found["code"] if found else None,
            "organisation_name": found["name_fa"] if found else None,
            "organisation_legal_id": found["legal_entity_id"] if found else None}
