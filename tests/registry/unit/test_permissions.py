"""The registry's permissions table, pinned: what each persona may do about district 7 (the access test then checks
the running service answers as the table says)."""

import pytest

from services.registry.permissions import PERMISSIONS, Capability, may_appoint, may_issue_for
from shared.principal import BodyKind, Principal
from tests.support.personas import PERSONAS

C = Capability
OVERSIGHT = {C.SEE_MEMBERS, C.READ_ALL_DECISIONS, C.READ_DISTRICT_DECISIONS, C.READ_DISTRICT_REPORTS,
             C.READ_CITY_REPORTS, C.SEE_MONITORING}
DISTRICT_7 = {C.SEE_MEMBERS, C.READ_DISTRICT_DECISIONS, C.ACKNOWLEDGE_DECISIONS, C.REPORT_IMPLEMENTED,
              C.FILE_DISTRICT_REPORTS, C.READ_DISTRICT_REPORTS}
EXPECTED = {
    "council.chair": OVERSIGHT | {C.ISSUE_DECISIONS},
    "council.member": OVERSIGHT,
    "festival.secretary": OVERSIGHT | {
        C.ROTATE_SIGNING_KEYS, C.CREATE_ACCOUNTS, C.REGISTER_PEOPLE, C.READ_PEOPLE,
        C.APPOINT_TO_FESTIVAL_BODIES, C.MANAGE_BODIES, C.RELOAD_STRUCTURE, C.MANAGE_ORGANISATIONS,
        C.CREATE_ORGANISATION_ACCOUNTS, C.ISSUE_DECISIONS, C.READ_LEDGER},
    "committee.welfare.chair": OVERSIGHT | {C.ISSUE_DECISIONS},
    "jury.juror": OVERSIGHT,
    "central.staff": OVERSIGHT | {C.READ_PEOPLE, C.RELAY_DECISIONS, C.COMPILE_CITY_REPORTS, C.READ_LEDGER},
    "staff.d07": DISTRICT_7,
    "secretary.d07": DISTRICT_7 | {C.REGISTER_PEOPLE, C.APPOINT_IN_DISTRICT, C.MANAGE_ORGANISATIONS,
                                   C.CREATE_ORGANISATION_ACCOUNTS},
    "member.d07": DISTRICT_7,
    "staff.d12": {C.SEE_MEMBERS},
}
ORGANISATION = Principal(subject="o", username="org", name="", memberships=[], organisation="sara-nezamabad")


def allowed(principal: Principal, district: int | None = 7) -> set[Capability]:
    """Every capability the table grants the principal about a district."""
    return {capability for capability in Capability if PERMISSIONS.may(principal, capability, district=district)}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_may_what_it_always_could(persona: str) -> None:
    assert allowed(PERSONAS[persona].principal()) == EXPECTED[persona]


def test_district_bound_powers_stop_at_the_district_and_organisation_accounts_only_sign_in() -> None:
    assert allowed(PERSONAS["secretary.d07"].principal(), district=12) == {C.SEE_MEMBERS, C.REGISTER_PEOPLE}
    assert allowed(ORGANISATION) == {C.SEE_MEMBERS}
    assert not PERMISSIONS.may(PERSONAS["festival.secretary"].principal(), C.ACKNOWLEDGE_DECISIONS, district=7)


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


def test_a_decision_is_issued_only_by_a_chair_or_secretary_of_the_issuing_body_itself() -> None:
    assert may_issue_for(PERSONAS["council.chair"].principal(), "policy-council")
    assert not may_issue_for(PERSONAS["council.member"].principal(), "policy-council")
    assert not may_issue_for(PERSONAS["festival.secretary"].principal(), "policy-council")
    assert may_issue_for(PERSONAS["festival.secretary"].principal(), "festival-secretary")
    assert may_issue_for(PERSONAS["committee.welfare.chair"].principal(), "committee-welfare")
    assert not may_issue_for(PERSONAS["committee.welfare.chair"].principal(), "committee-participation")
    assert not may_issue_for(PERSONAS["jury.juror"].principal(), "jury")
    assert not may_issue_for(PERSONAS["secretary.d07"].principal(), "district-07")
