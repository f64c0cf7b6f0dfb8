"""Evaluation's permissions table: the district's secretary manages its tier-1 rounds, the central secretariat the
jury's round and the receipt, the festival secretary reopens; the district's office (staff and secretary) sees its
district's works, city-wide staff every district's; committee members and jurors are evaluators, not staff, and
see only the works a round gave them. Who is drawn to judge: a district committee's members, the jury's jurors."""

from services.evaluation.domain import drawn_from
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


def test_the_council_reads_the_proposed_awards_it_approves_with_city_wide_staff_and_nobody_else() -> None:
    council = {u for u, p in PERSONAS.items() if p.kind == "policy_council"}
    assert council  # chair, secretary and members alike
    assert holders(Capability.READ_PROPOSALS, None) == council | {"festival.secretary", "central.staff"}


def test_works_are_seen_by_their_districts_office_and_by_city_wide_staff_never_by_evaluators() -> None:
    assert holders(Capability.SEE_WORKS) == {"festival.secretary", "central.staff", "staff.d07", "secretary.d07"}
    assert holders(Capability.SEE_WORKS, 12) == {"festival.secretary", "central.staff", "staff.d12"}
    assert visible_districts(PERSONAS["central.staff"].principal()) is None
    assert visible_districts(PERSONAS["staff.d12"].principal()) == {12}
    for evaluator in ("member.d07", "jury.juror", "jury.secretary"):
        assert visible_districts(PERSONAS[evaluator].principal()) == set()


def test_a_district_committees_members_and_the_jurors_are_drawn_never_a_secretary_or_the_jurys_chair() -> None:
    def drawn(tier: int, kind: str, role: str) -> bool:
        kinds, roles = drawn_from(tier)
        return kind in kinds and role in roles

    assert drawn(1, "executive_committee", "member") and drawn(1, "scientific_committee", "evaluator")
    assert drawn(1, "young_citizens_committee", "chair")  # the committee's chair presides as one of its members
    assert not drawn(1, "executive_committee", "secretary")
    assert not drawn(1, "district_secretariat", "staff") and not drawn(1, "jury_committee", "juror")
    assert drawn(2, "jury_committee", "juror")
    assert not drawn(2, "jury_committee", "secretary") and not drawn(2, "jury_committee", "chair")
    assert not drawn(2, "executive_committee", "member")
