"""The permissions table: anyone appointed in a district acts for its works (issue #11 narrows this), only the
district's secretariat lists and exports them, city-wide staff see every district and run the calls, an
organisation's account acts only for its own organisation's works, and nobody else holds anything."""

from services.submissions.permissions import PERMISSIONS, Capability, may_on_work
from shared.principal import Principal
from tests.support.personas import PERSONAS

OF_DISTRICT_7 = {"staff.d07", "secretary.d07", "member.d07"}
SECRETARIAT_7 = {"staff.d07", "secretary.d07"}
CITY_WIDE = {"festival.secretary", "central.staff"}


def on_work(capability: Capability, organisation: str | None = None) -> set[str]:
    """Personas who may exercise the capability on a work of district 7."""
    return {u for u, p in PERSONAS.items()
            if may_on_work(p.principal(), capability, district=7, organisation=organisation)}


def test_district_7_works_are_entered_changed_and_withdrawn_by_anyone_appointed_in_district_7() -> None:
    for capability in (Capability.ENTER_WORKS, Capability.EDIT_WORKS, Capability.WITHDRAW_WORKS,
                       Capability.ATTACH_DOCUMENTS):
        assert on_work(capability) == OF_DISTRICT_7


def test_works_are_seen_by_their_district_but_listed_only_by_its_secretariat_and_city_wide_staff() -> None:
    assert on_work(Capability.SEE_WORKS) == OF_DISTRICT_7 | CITY_WIDE
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
