"""Who may do what in submissions: each capability and the bodies and roles that hold it.

The use cases ask this table (so routes, pages and consumers cannot forget); tests/submissions/test_access.py reads
it to know what to expect. Roles mean what the festival means (issue #11): a district's office (its secretariat's
staff and secretary) enters, edits, withdraws and documents that district's works, and with city-wide staff sees,
lists and exports them, submitters' national IDs and mobiles included. A member of a district committee or of the
jury is an evaluator, not district staff: they see only the works assigned to them, through evaluation, never
here. Neighbourhood centres are organisations in registry, not bodies anyone is appointed to, so they hold nothing
here. An organisation's own account acts for its organisation's works only. A district's secretary prepares
the neighbourhood festival offices of their own district (issue #12). Editions, calls and the tracking lookup are
public.
"""

from enum import StrEnum

from shared.permissions import CITY_WIDE_STAFF, DISTRICT_OFFICE, DISTRICT_SECRETARY, PermissionTable, rule
from shared.principal import Principal
from shared.refusals import Kind, Refusal


class Capability(StrEnum):
    """Every protected submissions operation, named once."""

    MANAGE_CALLS = "manage_calls"  # create editions; set up, open and close their calls
    MANAGE_DISTRICT_OFFICES = "manage_district_offices"  # open, staff and close a district's neighbourhood offices
    ENTER_WORKS = "enter_works"  # receive a work for a district
    SEE_WORKS = "see_works"  # one work, its status history, its documents' list and bytes
    EDIT_WORKS = "edit_works"  # while its call is open and it waits for evaluation
    WITHDRAW_WORKS = "withdraw_works"  # until its outcome is final
    ATTACH_DOCUMENTS = "attach_documents"  # attach and remove, while the work can be edited
    LIST_WORKS = "list_works"  # the staff list, filtered and paged
    EXPORT_WORKS = "export_works"  # the CSV export


# Organisation accounts appear in a rule only for work-level capabilities, and then for their own
# organisation's works only (may_on_work checks the ownership).
WORKS_OF_THE_DISTRICT = rule(DISTRICT_OFFICE, organisation_accounts=True)
SEEN_BY_THE_DISTRICT_AND_THE_CITY = rule(CITY_WIDE_STAFF, DISTRICT_OFFICE, organisation_accounts=True)
VIEWS = rule(CITY_WIDE_STAFF, DISTRICT_OFFICE)

PERMISSIONS = PermissionTable(Capability, {
    Capability.MANAGE_CALLS: rule(CITY_WIDE_STAFF),
    # Issue #12: a district's secretary prepares their own district's offices (not its staff, not its committees).
    Capability.MANAGE_DISTRICT_OFFICES: rule(CITY_WIDE_STAFF, DISTRICT_SECRETARY),
    Capability.ENTER_WORKS: WORKS_OF_THE_DISTRICT,
    Capability.SEE_WORKS: SEEN_BY_THE_DISTRICT_AND_THE_CITY,
    Capability.EDIT_WORKS: WORKS_OF_THE_DISTRICT,
    Capability.WITHDRAW_WORKS: WORKS_OF_THE_DISTRICT,
    Capability.ATTACH_DOCUMENTS: WORKS_OF_THE_DISTRICT,
    Capability.LIST_WORKS: VIEWS,
    Capability.EXPORT_WORKS: VIEWS,
})


def may_on_work(principal: Principal, capability: Capability, *, district: int, organisation: str | None) -> bool:
    """Whether the principal may exercise a capability on a work of `district` submitted by `organisation`
    (its registry code, None for a citizen's work): an organisation's account only on its own organisation's
    works and where the rule admits organisation accounts; everyone else by their roles."""
    if principal.organisation is not None:
        return principal.organisation == organisation and PERMISSIONS.may(principal, capability)
    return PERMISSIONS.may(principal, capability, district=district)


def not_district_staff() -> Refusal:
    """A district-bound operation asked by someone who is not of that district."""
    return Refusal(Kind.FORBIDDEN, "not_district_staff", "شما کارکن این منطقه نیستید.",
                   "You are not staff of this district.")


def not_own_organisation() -> Refusal:
    """An organisation's account acting for another submitter."""
    return Refusal(Kind.FORBIDDEN, "not_own_organisation", "حساب سازمان فقط آثار همان سازمان را ثبت می‌کند.",
                   "An organisation's account submits only its own works, naming its own code.")
