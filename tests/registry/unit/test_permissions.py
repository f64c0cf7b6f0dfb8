"""The registry's permissions table, pinned: what each persona may do about district 7 (the access test then checks
the running service answers as the table says). Roles mean what the festival means: the district's office
acknowledges and reports decisions carried out, only its secretary files the district's report, committee members
read what is addressed to their district and nothing of the office's, and organisation accounts see nothing of the
organisation chart."""

import pytest

from services.registry.permissions import (
    PERMISSIONS,
    SEE_DISTRICT_OFFICES,
    Capability,
    issuing_role,
    may_appoint,
    may_issue_for,
    may_see_members,
)
from shared.principal import BodyKind, Membership, Principal
from tests.support.personas import PERSONAS

C = Capability
EVERYONE = {C.CHANGE_OWN_PASSWORD}
OVERSIGHT = EVERYONE | {C.SEE_MEMBERS, C.READ_ALL_DECISIONS, C.READ_DISTRICT_DECISIONS, C.READ_DISTRICT_REPORTS,
                        C.READ_CITY_REPORTS, C.SEE_MONITORING}
DISTRICT_7_OFFICE = EVERYONE | {C.SEE_MEMBERS, C.READ_DISTRICT_DECISIONS, C.ACKNOWLEDGE_DECISIONS,
                                C.REPORT_IMPLEMENTED, C.READ_DISTRICT_REPORTS}
EXPECTED = {
    "council.chair": OVERSIGHT | {C.ISSUE_DECISIONS, C.APPOINT_FESTIVAL_SECRETARY},
    "council.member": OVERSIGHT,
    "festival.secretary": OVERSIGHT | {
        C.ROTATE_SIGNING_KEYS, C.CREATE_ACCOUNTS, C.DEACTIVATE_ACCOUNTS, C.RESET_PASSWORDS, C.REGISTER_PEOPLE,
        C.READ_PEOPLE, C.APPOINT_TO_FESTIVAL_BODIES, C.MANAGE_BODIES, C.RELOAD_STRUCTURE, C.MANAGE_ORGANISATIONS,
        C.CREATE_ORGANISATION_ACCOUNTS, C.ISSUE_DECISIONS, C.READ_LEDGER},
    "committee.welfare.chair": OVERSIGHT | {C.ISSUE_DECISIONS},
    "jury.juror": OVERSIGHT,
    "jury.secretary": OVERSIGHT | {C.ISSUE_DECISIONS},
    "central.staff": OVERSIGHT | {C.READ_PEOPLE, C.RELAY_DECISIONS, C.COMPILE_CITY_REPORTS, C.READ_LEDGER},
    "staff.d07": DISTRICT_7_OFFICE,
    "secretary.d07": DISTRICT_7_OFFICE | {C.FILE_DISTRICT_REPORTS, C.REGISTER_PEOPLE, C.APPOINT_IN_DISTRICT,
                                          C.MANAGE_ORGANISATIONS, C.CREATE_ORGANISATION_ACCOUNTS,
                                          C.DEACTIVATE_ACCOUNTS, C.RESET_PASSWORDS},
    "member.d07": EVERYONE | {C.READ_DISTRICT_DECISIONS},
    "staff.d12": EVERYONE,
}
ORGANISATION = Principal(subject="o", username="org", name="", memberships=[], organisation="sara-nezamabad")


def allowed(principal: Principal, district: int | None = 7) -> set[Capability]:
    """Every capability the table grants the principal about a district."""
    return {capability for capability in Capability if PERMISSIONS.may(principal, capability, district=district)}


def test_every_persona_is_pinned() -> None:
    assert set(EXPECTED) == set(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_may_what_its_role_means(persona: str) -> None:
    assert allowed(PERSONAS[persona].principal()) == EXPECTED[persona]


def test_district_bound_powers_stop_at_the_district_and_organisation_accounts_only_sign_in() -> None:
    assert allowed(PERSONAS["secretary.d07"].principal(), district=12) == {C.REGISTER_PEOPLE, C.CHANGE_OWN_PASSWORD}
    assert allowed(ORGANISATION) == EVERYONE
    assert not PERMISSIONS.may(PERSONAS["festival.secretary"].principal(), C.ACKNOWLEDGE_DECISIONS, district=7)


@pytest.mark.parametrize("role", ["member", "chair", "secretary", "evaluator"])
@pytest.mark.parametrize("kind", [BodyKind.EXECUTIVE_COMMITTEE, BodyKind.YOUNG_CITIZENS_COMMITTEE,
                                  BodyKind.SCIENTIFIC_COMMITTEE])
def test_a_district_committee_reads_its_districts_decisions_but_does_none_of_the_offices_work(
        kind: str, role: str) -> None:
    committee = Principal(subject="c", username="c", name="", memberships=[
        Membership(body="district-07-committee", kind=kind, role=role, district=7)])
    assert allowed(committee) == {C.READ_DISTRICT_DECISIONS, C.CHANGE_OWN_PASSWORD}
    assert not SEE_DISTRICT_OFFICES.allows(committee, 7)


def test_the_offices_page_is_for_the_districts_office_and_city_wide_staff() -> None:
    for name, sees in (("staff.d07", True), ("secretary.d07", True), ("central.staff", True),
                       ("festival.secretary", True), ("member.d07", False), ("staff.d12", False),
                       ("council.chair", False)):
        assert SEE_DISTRICT_OFFICES.allows(PERSONAS[name].principal(), 7) is sees, name
    assert not SEE_DISTRICT_OFFICES.allows(ORGANISATION, 7)


def test_members_lists_are_for_staff_who_need_them_and_the_bodys_own_members() -> None:
    def sees(name: str | Principal, body: str, district: int | None) -> bool:
        principal = PERSONAS[name].principal() if isinstance(name, str) else name
        return may_see_members(principal, body_code=body, district=district)

    for name in ("festival.secretary", "central.staff", "council.member", "jury.juror", "committee.welfare.chair"):
        assert sees(name, "district-07-executive", 7) and sees(name, "jury", None), name
    assert sees("staff.d07", "district-07-executive", 7) and sees("secretary.d07", "district-07", 7)
    assert not sees("staff.d07", "district-12-executive", 12) and not sees("staff.d07", "jury", None)
    assert sees("member.d07", "district-07-executive", 7)  # their own body
    assert not sees("member.d07", "district-07-scientific", 7) and not sees("member.d07", "district-07", 7)
    assert not sees("staff.d12", "district-07-executive", 7)
    for body, district in (("district-07-executive", 7), ("district-07", 7), ("jury", None),
                           ("policy-council", None)):
        assert not sees(ORGANISATION, body, district), body


def test_the_festival_secretary_appoints_festival_bodies_and_district_secretaries_their_district() -> None:
    secretary, d07 = PERSONAS["festival.secretary"].principal(), PERSONAS["secretary.d07"].principal()
    for kind in (BodyKind.POLICY_COUNCIL, BodyKind.SPECIALISED_COMMITTEE, BodyKind.JURY_COMMITTEE,
                 BodyKind.CENTRAL_SECRETARIAT):
        assert may_appoint(secretary, kind=kind, district=None) and not may_appoint(d07, kind=kind, district=None)
    assert may_appoint(secretary, kind=BodyKind.DISTRICT_SECRETARIAT, district=12)
    assert not may_appoint(secretary, kind=BodyKind.EXECUTIVE_COMMITTEE, district=7)
    assert not may_appoint(secretary, kind=BodyKind.FESTIVAL_SECRETARY, district=None)
    assert may_appoint(d07, kind=BodyKind.EXECUTIVE_COMMITTEE, district=7)
    assert not may_appoint(d07, kind=BodyKind.EXECUTIVE_COMMITTEE, district=12)
    assert not may_appoint(PERSONAS["staff.d07"].principal(), kind=BodyKind.EXECUTIVE_COMMITTEE, district=7)


def test_the_council_through_its_chair_or_secretary_names_the_festival_secretary() -> None:
    council_secretary = Principal(subject="s", username="s", name="", memberships=[
        Membership(body="policy-council", kind="policy_council", role="secretary")])
    for principal in (PERSONAS["council.chair"].principal(), council_secretary):
        assert may_appoint(principal, kind=BodyKind.FESTIVAL_SECRETARY, district=None)
        assert not may_appoint(principal, kind=BodyKind.CENTRAL_SECRETARIAT, district=None)
    for name in ("council.member", "festival.secretary", "central.staff", "committee.welfare.chair"):
        assert not may_appoint(PERSONAS[name].principal(), kind=BodyKind.FESTIVAL_SECRETARY, district=None), name
    assert may_appoint(PERSONAS["festival.secretary"].principal(), kind=BodyKind.CENTRAL_SECRETARIAT, district=None)


def test_a_decision_is_issued_only_by_a_chair_or_secretary_of_the_issuing_body_itself() -> None:
    assert may_issue_for(PERSONAS["council.chair"].principal(), "policy-council")
    assert not may_issue_for(PERSONAS["council.member"].principal(), "policy-council")
    assert not may_issue_for(PERSONAS["festival.secretary"].principal(), "policy-council")
    assert may_issue_for(PERSONAS["festival.secretary"].principal(), "festival-secretary")
    assert may_issue_for(PERSONAS["committee.welfare.chair"].principal(), "committee-welfare")
    assert not may_issue_for(PERSONAS["committee.welfare.chair"].principal(), "committee-participation")
    assert not may_issue_for(PERSONAS["jury.juror"].principal(), "jury")
    assert may_issue_for(PERSONAS["jury.secretary"].principal(), "jury")
    assert not may_issue_for(PERSONAS["secretary.d07"].principal(), "district-07")


def test_the_role_a_decision_is_issued_in_is_the_one_held_in_the_issuing_body() -> None:
    assert issuing_role(PERSONAS["council.chair"].principal(), "policy-council") == "chair"
    assert issuing_role(PERSONAS["jury.secretary"].principal(), "jury") == "secretary"
    assert issuing_role(PERSONAS["council.member"].principal(), "policy-council") is None
    both = Principal(subject="b", username="b", name="", memberships=[
        Membership(body="policy-council", kind="policy_council", role="member"),
        Membership(body="festival-secretary", kind="festival_secretary", role="secretary")])
    # A council member who is also the festival secretary speaks for the council in no role.
    assert issuing_role(both, "policy-council") is None and issuing_role(both, "festival-secretary") == "secretary"
