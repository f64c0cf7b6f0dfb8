"""The permissions table every service builds: holders, rules, deny by default, the refusal it raises."""

from enum import StrEnum

import pytest

from shared.permissions import ANYONE_OF_THE_DISTRICT, CITY_WIDE_STAFF, DISTRICT_SECRETARY, PermissionTable, rule
from shared.principal import Membership, Principal
from shared.refusals import Kind, Refusal, not_found


def person(*memberships: tuple[str, str, int | None], organisation: str | None = None) -> Principal:
    """A principal holding (kind, role, district) memberships."""
    return Principal(subject="s", username="u", name="n", organisation=organisation,
                     memberships=[Membership(body=f"{k}-{d}", kind=k, role=r, district=d) for k, r, d in memberships])


class Can(StrEnum):
    ENTER = "enter"
    CLOSE = "close"
    NOTHING = "nothing"


TABLE = PermissionTable(Can, {
    Can.ENTER: rule(ANYONE_OF_THE_DISTRICT, CITY_WIDE_STAFF, organisation_accounts=True),
    Can.CLOSE: rule(DISTRICT_SECRETARY),
    Can.NOTHING: rule(),
})


def test_district_bound_holders_need_the_same_district_and_any_body_of_it_counts() -> None:
    clerk = person(("district_secretariat", "staff", 7))
    working_group = person(("working_group", "member", 7))  # a kind staff added, not in BodyKind
    assert TABLE.may(clerk, Can.ENTER, district=7) and TABLE.may(working_group, Can.ENTER, district=7)
    assert not TABLE.may(clerk, Can.ENTER, district=12) and not TABLE.may(clerk, Can.ENTER)


def test_roles_kinds_city_wide_staff_and_organisation_accounts() -> None:
    secretary, clerk = person(("district_secretariat", "secretary", 7)), person(("district_secretariat", "staff", 7))
    central = person(("central_secretariat", "staff", None))
    assert TABLE.may(secretary, Can.CLOSE, district=7) and not TABLE.may(clerk, Can.CLOSE, district=7)
    assert TABLE.may(central, Can.ENTER, district=3) and not TABLE.may(central, Can.CLOSE, district=3)
    assert TABLE.may(person(organisation="charity-1"), Can.ENTER, district=5)
    assert not TABLE.may(person(organisation="charity-1"), Can.CLOSE, district=5)


def test_an_empty_rule_allows_nobody_and_require_raises_the_refusal_asked_for() -> None:
    everyone = person(("central_secretariat", "staff", None), ("festival_secretary", "secretary", None))
    assert not TABLE.may(everyone, Can.NOTHING)
    with pytest.raises(Refusal) as refused:
        TABLE.require(everyone, Can.NOTHING)
    assert refused.value.kind == Kind.FORBIDDEN
    with pytest.raises(Refusal) as hidden:
        TABLE.require(everyone, Can.NOTHING, refusal=not_found("اثر", "Work"))
    assert hidden.value.kind == Kind.NOT_FOUND


def test_every_capability_needs_a_rule() -> None:
    with pytest.raises(ValueError):
        PermissionTable(Can, {Can.ENTER: rule()})
