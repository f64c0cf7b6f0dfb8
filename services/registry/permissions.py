"""Who may do what in the registry: capability -> rule. Use cases check it; the access tests read it."""

from enum import StrEnum

from shared.permissions import (
    ANYONE_OF_THE_DISTRICT,
    CENTRAL_SECRETARIAT,
    CITY_WIDE_STAFF,
    DISTRICT_SECRETARY,
    PermissionTable,
    holder,
    rule,
)
from shared.principal import FESTIVAL_COMMITTEE_KINDS, BodyKind, Principal, Role
from shared.refusals import Kind, Refusal


class Capability(StrEnum):
    """Every protected registry operation, named once."""

    ROTATE_SIGNING_KEYS = "rotate_signing_keys"
    CREATE_ACCOUNTS = "create_accounts"  # a staff account without an appointment (appointments: APPOINT_*)
    REGISTER_PEOPLE = "register_people"
    READ_PEOPLE = "read_people"  # anyone reads their own record; this is for reading others'
    SEE_MEMBERS = "see_members"
    APPOINT_IN_DISTRICT = "appoint_in_district"  # any body of the district
    APPOINT_TO_FESTIVAL_BODIES = "appoint_to_festival_bodies"  # FESTIVAL_SECRETARY_APPOINTS below
    MANAGE_BODIES = "manage_bodies"
    RELOAD_STRUCTURE = "reload_structure"
    MANAGE_ORGANISATIONS = "manage_organisations"
    CREATE_ORGANISATION_ACCOUNTS = "create_organisation_accounts"
    ISSUE_DECISIONS = "issue_decisions"  # only for a body the person holds the role in (may_issue_for)
    READ_ALL_DECISIONS = "read_all_decisions"
    READ_DISTRICT_DECISIONS = "read_district_decisions"
    RELAY_DECISIONS = "relay_decisions"
    ACKNOWLEDGE_DECISIONS = "acknowledge_decisions"
    REPORT_IMPLEMENTED = "report_implemented"
    FILE_DISTRICT_REPORTS = "file_district_reports"
    READ_DISTRICT_REPORTS = "read_district_reports"
    COMPILE_CITY_REPORTS = "compile_city_reports"
    READ_CITY_REPORTS = "read_city_reports"
    SEE_MONITORING = "see_monitoring"
    READ_LEDGER = "read_ledger"


# The festival secretary (دبیر جشنواره) themself, not other staff of that office.
THE_FESTIVAL_SECRETARY = holder({BodyKind.FESTIVAL_SECRETARY}, {Role.SECRETARY})
ANY_DISTRICT_SECRETARY = holder({BodyKind.DISTRICT_SECRETARIAT}, {Role.SECRETARY})
# The council and the festival's committees oversee the districts alongside city-wide staff.
OVERSIGHT = holder({BodyKind.POLICY_COUNCIL, *FESTIVAL_COMMITTEE_KINDS})
# Chairs and secretaries speak for these bodies.
ISSUER = holder({BodyKind.POLICY_COUNCIL, BodyKind.FESTIVAL_SECRETARY, *FESTIVAL_COMMITTEE_KINDS},
                {Role.CHAIR, Role.SECRETARY})
# Bodies whose members the festival secretary records (the council's members are named by the municipality; the
# secretary enters them); district bodies are also their district secretary's.
FESTIVAL_SECRETARY_APPOINTS = frozenset({
    BodyKind.POLICY_COUNCIL, BodyKind.SPECIALISED_COMMITTEE, BodyKind.JURY_COMMITTEE,
    BodyKind.CENTRAL_SECRETARIAT, BodyKind.DISTRICT_SECRETARIAT})

C = Capability
PERMISSIONS = PermissionTable(Capability, {
    C.ROTATE_SIGNING_KEYS: rule(THE_FESTIVAL_SECRETARY),
    C.CREATE_ACCOUNTS: rule(THE_FESTIVAL_SECRETARY),
    C.REGISTER_PEOPLE: rule(THE_FESTIVAL_SECRETARY, ANY_DISTRICT_SECRETARY),
    C.READ_PEOPLE: rule(CITY_WIDE_STAFF),
    C.SEE_MEMBERS: rule(anyone_signed_in=True),
    C.APPOINT_IN_DISTRICT: rule(DISTRICT_SECRETARY),
    C.APPOINT_TO_FESTIVAL_BODIES: rule(THE_FESTIVAL_SECRETARY),
    C.MANAGE_BODIES: rule(THE_FESTIVAL_SECRETARY),
    C.RELOAD_STRUCTURE: rule(THE_FESTIVAL_SECRETARY),
    C.MANAGE_ORGANISATIONS: rule(THE_FESTIVAL_SECRETARY, DISTRICT_SECRETARY),
    C.CREATE_ORGANISATION_ACCOUNTS: rule(THE_FESTIVAL_SECRETARY, DISTRICT_SECRETARY),
    C.ISSUE_DECISIONS: rule(ISSUER),
    C.READ_ALL_DECISIONS: rule(CITY_WIDE_STAFF, OVERSIGHT),
    C.READ_DISTRICT_DECISIONS: rule(CITY_WIDE_STAFF, OVERSIGHT, ANYONE_OF_THE_DISTRICT),
    C.RELAY_DECISIONS: rule(CENTRAL_SECRETARIAT),
    C.ACKNOWLEDGE_DECISIONS: rule(ANYONE_OF_THE_DISTRICT),
    C.REPORT_IMPLEMENTED: rule(ANYONE_OF_THE_DISTRICT),
    C.FILE_DISTRICT_REPORTS: rule(ANYONE_OF_THE_DISTRICT),
    C.READ_DISTRICT_REPORTS: rule(CITY_WIDE_STAFF, OVERSIGHT, ANYONE_OF_THE_DISTRICT),
    C.COMPILE_CITY_REPORTS: rule(CENTRAL_SECRETARIAT),
    C.READ_CITY_REPORTS: rule(CITY_WIDE_STAFF, OVERSIGHT),
    C.SEE_MONITORING: rule(CITY_WIDE_STAFF, OVERSIGHT),
    C.READ_LEDGER: rule(CITY_WIDE_STAFF),
})


# A district's festival offices (its neighbourhoods, institutions and staff accounts with their roles): its own
# people and city-wide staff; not a route of the JSON API, so not a capability the access matrix calls.
SEE_DISTRICT_OFFICES = rule(CITY_WIDE_STAFF, ANYONE_OF_THE_DISTRICT)


def may_appoint(principal: Principal, *, kind: str, district: int | None) -> bool:
    """Appointing to (or removing from) a body of this kind and district: its district's secretary, or the festival
    secretary for the festival's own bodies and the district secretariats."""
    return PERMISSIONS.may(principal, C.APPOINT_IN_DISTRICT, district=district) or (
        kind in FESTIVAL_SECRETARY_APPOINTS and PERMISSIONS.may(principal, C.APPOINT_TO_FESTIVAL_BODIES))


def may_issue_for(principal: Principal, body_code: str) -> bool:
    """Issuing a decision in a body's name: only the roles the person holds in that very body count."""
    own = principal.model_copy(update={"memberships": [m for m in principal.memberships if m.body == body_code]})
    return PERMISSIONS.may(own, C.ISSUE_DECISIONS)


def not_district_staff() -> Refusal:
    """The refusal for a district's own work (its steps on decisions, its reports) asked by someone else."""
    return Refusal(Kind.FORBIDDEN, "not_district_staff", "شما کارکن این منطقه نیستید.",
                   "You are not staff of this district.")
