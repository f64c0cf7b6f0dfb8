"""Who may do what in the registry: capability -> rule. Use cases check it; the access tests read it."""

from enum import StrEnum

from shared.permissions import (
    ANYONE_OF_THE_DISTRICT,
    CENTRAL_SECRETARIAT,
    CITY_WIDE_STAFF,
    DISTRICT_OFFICE,
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
    DEACTIVATE_ACCOUNTS = "deactivate_accounts"  # about the district the account belongs to (account_district)
    RESET_PASSWORDS = "reset_passwords"  # likewise
    CHANGE_OWN_PASSWORD = "change_own_password"
    REGISTER_PEOPLE = "register_people"
    READ_PEOPLE = "read_people"  # anyone reads their own record; this is for reading others'
    SEE_MEMBERS = "see_members"  # about the body's district; a body's own members see it too (may_see_members)
    APPOINT_IN_DISTRICT = "appoint_in_district"  # any body of the district
    APPOINT_TO_FESTIVAL_BODIES = "appoint_to_festival_bodies"  # FESTIVAL_SECRETARY_APPOINTS below
    APPOINT_FESTIVAL_SECRETARY = "appoint_festival_secretary"  # to the festival_secretary body (hand-overs)
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
# The council names the festival secretary ("دبیر جشنواره: منتخب شورای سیاست‌گذاری"), through its chair or secretary.
COUNCIL_SPEAKERS = holder({BodyKind.POLICY_COUNCIL}, {Role.CHAIR, Role.SECRETARY})
# Bodies whose members the festival secretary records (the council's members are named by the municipality; the
# secretary enters them); district bodies are also their district secretary's.
FESTIVAL_SECRETARY_APPOINTS = frozenset({
    BodyKind.POLICY_COUNCIL, BodyKind.SPECIALISED_COMMITTEE, BodyKind.JURY_COMMITTEE,
    BodyKind.CENTRAL_SECRETARIAT, BodyKind.DISTRICT_SECRETARIAT})

C = Capability
PERMISSIONS = PermissionTable(Capability, {
    C.ROTATE_SIGNING_KEYS: rule(THE_FESTIVAL_SECRETARY),
    C.CREATE_ACCOUNTS: rule(THE_FESTIVAL_SECRETARY),
    C.DEACTIVATE_ACCOUNTS: rule(THE_FESTIVAL_SECRETARY, DISTRICT_SECRETARY),
    C.RESET_PASSWORDS: rule(THE_FESTIVAL_SECRETARY, DISTRICT_SECRETARY),
    C.CHANGE_OWN_PASSWORD: rule(anyone_signed_in=True),
    C.REGISTER_PEOPLE: rule(THE_FESTIVAL_SECRETARY, ANY_DISTRICT_SECRETARY),
    C.READ_PEOPLE: rule(CITY_WIDE_STAFF),
    C.SEE_MEMBERS: rule(CITY_WIDE_STAFF, OVERSIGHT, DISTRICT_OFFICE),
    C.APPOINT_IN_DISTRICT: rule(DISTRICT_SECRETARY),
    C.APPOINT_TO_FESTIVAL_BODIES: rule(THE_FESTIVAL_SECRETARY),
    C.APPOINT_FESTIVAL_SECRETARY: rule(COUNCIL_SPEAKERS),
    C.MANAGE_BODIES: rule(THE_FESTIVAL_SECRETARY),
    C.RELOAD_STRUCTURE: rule(THE_FESTIVAL_SECRETARY),
    C.MANAGE_ORGANISATIONS: rule(THE_FESTIVAL_SECRETARY, DISTRICT_SECRETARY),
    C.CREATE_ORGANISATION_ACCOUNTS: rule(THE_FESTIVAL_SECRETARY, DISTRICT_SECRETARY),
    C.ISSUE_DECISIONS: rule(ISSUER),
    C.READ_ALL_DECISIONS: rule(CITY_WIDE_STAFF, OVERSIGHT),
    # The district's committees act on what is addressed to their district, so they read it; they neither
    # acknowledge it nor report it carried out (the office does).
    C.READ_DISTRICT_DECISIONS: rule(CITY_WIDE_STAFF, OVERSIGHT, ANYONE_OF_THE_DISTRICT),
    C.RELAY_DECISIONS: rule(CENTRAL_SECRETARIAT),
    C.ACKNOWLEDGE_DECISIONS: rule(DISTRICT_OFFICE),
    C.REPORT_IMPLEMENTED: rule(DISTRICT_OFFICE),
    C.FILE_DISTRICT_REPORTS: rule(DISTRICT_SECRETARY),
    C.READ_DISTRICT_REPORTS: rule(CITY_WIDE_STAFF, OVERSIGHT, DISTRICT_OFFICE),
    C.COMPILE_CITY_REPORTS: rule(CENTRAL_SECRETARIAT),
    C.READ_CITY_REPORTS: rule(CITY_WIDE_STAFF, OVERSIGHT),
    C.SEE_MONITORING: rule(CITY_WIDE_STAFF, OVERSIGHT),
    C.READ_LEDGER: rule(CITY_WIDE_STAFF),
})


# A district's festival offices (its neighbourhoods, institutions and staff accounts with their usernames and
# roles): its own office and city-wide staff; not a route of the JSON API, so not a capability the access matrix
# calls.
SEE_DISTRICT_OFFICES = rule(CITY_WIDE_STAFF, DISTRICT_OFFICE)


def may_appoint(principal: Principal, *, kind: str, district: int | None) -> bool:
    """Appointing to (or removing from) a body of this kind and district: its district's secretary, the festival
    secretary for the festival's own bodies and the district secretariats, and the council for the festival
    secretary's office."""
    if kind == BodyKind.FESTIVAL_SECRETARY:
        return PERMISSIONS.may(principal, C.APPOINT_FESTIVAL_SECRETARY)
    return PERMISSIONS.may(principal, C.APPOINT_IN_DISTRICT, district=district) or (
        kind in FESTIVAL_SECRETARY_APPOINTS and PERMISSIONS.may(principal, C.APPOINT_TO_FESTIVAL_BODIES))


def may_see_members(principal: Principal, *, body_code: str, district: int | None) -> bool:
    """Who sits on a body: those the table lets see the body's district (or every body), and the body's own
    members; organisation accounts hold no membership, so never."""
    return PERMISSIONS.may(principal, C.SEE_MEMBERS, district=district) or principal.is_member(body_code)


def may_issue_for(principal: Principal, body_code: str) -> bool:
    """Issuing a decision in a body's name: only the roles the person holds in that very body count."""
    return issuing_role(principal, body_code) is not None


def issuing_role(principal: Principal, body_code: str) -> str | None:
    """The role in which the person speaks for the body (chair before secretary), or None when they may not."""
    for role in (Role.CHAIR, Role.SECRETARY):
        own = principal.model_copy(update={"memberships": [
            m for m in principal.memberships if m.body == body_code and m.role == role]})
        if PERMISSIONS.may(own, C.ISSUE_DECISIONS):
            return role.value
    return None


def may_acknowledge_for(principal: Principal, committee: str) -> bool:
    """A committee acknowledges a decision addressed to it through any of its members, in whatever role."""
    return principal.is_member(committee)


def not_committee_member() -> Refusal:
    """The refusal for acknowledging for a committee by someone who does not sit on it."""
    return Refusal(Kind.FORBIDDEN, "not_committee_member", "شما عضو این کمیته نیستید.",
                   "You are not a member of this committee.")


def not_district_staff() -> Refusal:
    """The refusal for a district's own work (its steps on decisions, its reports) asked by someone else."""
    return Refusal(Kind.FORBIDDEN, "not_district_staff", "شما کارکن این منطقه نیستید.",
                   "You are not staff of this district.")


def not_district_secretary() -> Refusal:
    """The refusal for filing a district's report by anyone but that district's secretary."""
    return Refusal(Kind.FORBIDDEN, "not_district_secretary", "گزارش منطقه را فقط دبیر همان منطقه ثبت می‌کند.",
                   "Only the district's secretary files its reports.")
