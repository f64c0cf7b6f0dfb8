"""The permissions table: a district's office (its secretariat's staff and secretary) enters, changes, sees, lists
and exports its works, city-wide staff see every district and run the calls, an organisation's account acts only for
its own organisation's works, and nobody else holds anything: not a district committee's member, not the jury
(issue #11: they see only the works assigned to them, through evaluation)."""

from services.submissions.permissions import PERMISSIONS, Capability, may_on_work
from shared.principal import Principal
from tests.support.personas import PERSONAS

SECRETARIAT_7 = {"staff.d07", "secretary.d07"}
EVALUATORS = {"member.d07", "jury.juror", "jury.secretary"}
CITY_WIDE = {"festival.secretary", "central.staff"}


def on_work(capability: Capability, organisation: str | None = None) -> set[str]:
    """Personas who may exercise the capability on a work of district 7."""
    return {u for u, p in PERSONAS.items()
            if may_on_work(p.principal(), capability, district=7, organisation=organisation)}


def test_district_7_works_are_entered_changed_and_withdrawn_by_district_7s_office_only() -> None:
    for capability in (Capability.ENTER_WORKS, Capability.EDIT_WORKS, Capability.WITHDRAW_WORKS,
                       Capability.ATTACH_DOCUMENTS):
        assert on_work(capability) == SECRETARIAT_7


def test_works_are_seen_listed_and_exported_by_their_districts_office_and_city_wide_staff_only() -> None:
    assert on_work(Capability.SEE_WORKS) == SECRETARIAT_7 | CITY_WIDE
    for capability in (Capability.LIST_WORKS, Capability.EXPORT_WORKS):
        assert {u for u, p in PERSONAS.items() if PERMISSIONS.may(p.principal(), capability)} == CITY_WIDE
        assert {u for u, p in PERSONAS.items()
                if PERMISSIONS.may(p.principal(), capability, district=7)} == SECRETARIAT_7 | CITY_WIDE


def test_calls_are_run_by_city_wide_staff_only() -> None:
    assert {u for u, p in PERSONAS.items() if PERMISSIONS.may(p.principal(), Capability.MANAGE_CALLS)} == CITY_WIDE


def test_an_organisations_account_acts_for_its_own_works_only() -> None:
    account = Principal(subject="o", username="org", name="", memberships=[], organisation="charity-1")
    for capability in (Capability.ENTER_WORKS, Capability.SEE_WORKS, Capability.EDIT_WORKS,
                       Capability.WITHDRAW_WORKS, Capability.ATTACH_DOCUMENTS):
        assert may_on_work(account, capability, district=7, organisation="charity-1")
        assert not may_on_work(account, capability, district=7, organisation="charity-2")
        assert not may_on_work(account, capability, district=7, organisation=None)
    for capability in (Capability.MANAGE_CALLS, Capability.LIST_WORKS, Capability.EXPORT_WORKS):
        assert not PERMISSIONS.may(account, capability) and not PERMISSIONS.may(account, capability, district=7)


def test_evaluators_hold_nothing_here_whatever_their_district() -> None:
    for username in EVALUATORS:
        principal = PERSONAS[username].principal()
        for capability in Capability:
            assert not PERMISSIONS.may(principal, capability), (username, capability)
            assert not any(PERMISSIONS.may(principal, capability, district=d) for d in range(1, 23)), (username,
                                                                                                       capability)


def test_a_district_secretariats_other_roles_are_not_its_office() -> None:
    chair = Principal(subject="c", username="chair.d07", name="", memberships=[
        {"body": "district-07", "kind": "district_secretariat", "role": "chair", "district": 7}])
    assert not any(PERMISSIONS.may(chair, capability, district=7) for capability in Capability)
