"""Pure rules for local institutions and partner organisations."""

import re
from dataclasses import dataclass

from shared.contracts.base import DISTRICTS, Event
from shared.contracts.registry import OrganisationChanged, OrganisationRegistered
from shared.persian import canonical_legal_entity_id, normalize_text
from shared.refusals import Kind, Refusal

# Municipal units the districts work through (no legal-entity ID of their own).
LOCAL_INSTITUTIONS = frozenset({"neighbourhood_centre", "welfare_house", "entrepreneurship_house", "club"})
# Organisations that take part and submit works; each is a legal entity.
PARTNERS = frozenset({"ngo", "charity", "cbo", "government", "university"})
CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,62}", re.ASCII)


@dataclass(frozen=True)
class Organisation:
    """A local institution or partner organisation, as stored."""

    code: str
    kind: str
    name_fa: str
    legal_entity_id: str | None = None
    district: int | None = None
    neighbourhood_code: str | None = None
    active: bool = True


def checked(organisation: Organisation, neighbourhood_district: int | None) -> Organisation:
    """The organisation normalised, or a refusal: known kind, valid legal ID, place inside its district."""
    if not CODE.fullmatch(organisation.code):
        raise Refusal(Kind.INVALID, "invalid_code", "شناسهٔ نهاد باید حروف کوچک لاتین، رقم و خط تیره باشد.",
                       "Codes are lower-case latin letters, digits and dashes.")
    if organisation.kind not in LOCAL_INSTITUTIONS | PARTNERS:
        raise Refusal(Kind.INVALID, "unknown_organisation_kind", "نوع نهاد معتبر نیست.", "Unknown organisation kind.",
                       sorted(LOCAL_INSTITUTIONS | PARTNERS))
    legal_id = organisation.legal_entity_id
    if organisation.kind in PARTNERS or legal_id:
        try:
            legal_id = canonical_legal_entity_id(legal_id or "")
        except ValueError:
            raise Refusal(Kind.INVALID, "invalid_legal_entity_id", "شناسهٔ ملی اشخاص حقوقی معتبر نیست.",
                           "The legal-entity ID (shenase-ye melli) is not valid.") from None
    if organisation.district is not None and organisation.district not in DISTRICTS:
        raise Refusal(Kind.INVALID, "invalid_district", "منطقه باید بین ۱ تا ۲۲ باشد.", "District must be 1-22.")
    if organisation.kind in LOCAL_INSTITUTIONS and organisation.district is None:
        raise Refusal(Kind.INVALID, "district_required", "نهاد محلی باید منطقه داشته باشد.",
                       "A local institution belongs to a district.")
    if organisation.neighbourhood_code is not None and neighbourhood_district != organisation.district:
        raise Refusal(Kind.INVALID, "neighbourhood_outside_district", "این محله در منطقهٔ نهاد نیست.",
                       "The neighbourhood is not in the organisation's district.")
    return Organisation(**{**organisation.__dict__, "name_fa": normalize_text(organisation.name_fa),
                           "legal_entity_id": legal_id})


def plan_organisations(current: dict[str, Organisation], desired: list[Organisation]) -> list[Event]:
    """Events that bring the structure-managed organisations to the file's; removals deactivate."""
    events: list[Event] = []
    wanted = {o.code for o in desired}
    for organisation in desired:
        stored = current.get(organisation.code)
        if stored is None:
            events.append(OrganisationRegistered(**organisation.__dict__))
        elif stored != organisation:
            events.append(OrganisationChanged(**organisation.__dict__))
    for code, stored in current.items():
        if code not in wanted and stored.active:
            events.append(OrganisationChanged(**{**stored.__dict__, "active": False}))
    return events


def organisation_exists() -> Refusal:
    """A new organisation's code is in use."""
    return Refusal(Kind.CONFLICT, "organisation_exists", "نهادی با این شناسه هست.",
                   "An organisation with this code exists.")


def check_legal_id_owner(organisation: Organisation, owner: str | None) -> None:
    """Refuse a legal-entity ID another organisation already has."""
    if owner and owner != organisation.code:
        raise Refusal(Kind.CONFLICT, "legal_entity_id_taken", "این شناسهٔ ملی برای نهاد دیگری ثبت شده است.",
                      "Another organisation has this legal-entity ID.", owner)


def changed(stored: Organisation, changes: dict) -> Organisation:
    """The stored organisation with the changes staff asked for (checked when stored)."""
    return Organisation(**{**stored.__dict__, **changes})
