"""Evaluation's permissions table keeps today's powers (issue #11 will tighten roles): the district's secretary
manages its tier-1 rounds, the central secretariat the jury's round and the receipt, the festival secretary
reopens; staff see their district's works, city-wide staff every district's."""

from services.evaluation.permissions import PERMISSIONS, Capability, visible_districts
from tests.support.personas import PERSONAS


def holders(capability: Capability, district: int | None = 7) -> set[str]:
    """The personas the table lets exercise the capability (on district 7 unless told)."""
    return {u for u, p in PERSONAS.items() if PERMISSIONS.may(p.principal(), capability, district=district)}


def test_each_power_belongs_to_the_body_and_role_it_belonged_to() -> None:
    assert holders(Capability.MANAGE_TIER_1_ROUND) == {"secretary.d07"}
    assert holders(Capability.MANAGE_TIER_1_ROUND, 12) == set()
    assert holders(Capability.MANAGE_TIER_2_ROUND, None) == {"central.staff"}
    assert holders(Capability.CONFIRM_RECEIPT, None) == {"central.staff"}
    assert holders(Capability.REOPEN_ROUND, None) == {"festival.secretary"}
    assert holders(Capability.EVALUATE) == set(PERSONAS)


def test_works_are_seen_by_their_districts_people_and_by_city_wide_staff() -> None:
    assert holders(Capability.SEE_WORKS) == {"festival.secretary", "central.staff", "staff.d07", "secretary.d07",
                                             "member.d07"}
    assert visible_districts(PERSONAS["central.staff"].principal()) is None
    assert visible_districts(PERSONAS["staff.d12"].principal()) == {12}
    assert visible_districts(PERSONAS["jury.juror"].principal()) == set()
