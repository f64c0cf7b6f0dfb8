"""Who may do what in evaluation: each capability and the bodies and roles that hold it.

Use cases ask this one table (routes and consumers never check roles themselves); tests/evaluation/test_access.py
reads it to know what to expect from each persona. Scoring is not a role: an evaluator acts only on the works a
round assigned to them, which the use cases check against the assignments (anyone else hears "not found").

Powers follow body kind and role, never "any appointment in the district": a district committee's members and
the jurors are evaluators, not district staff, and see only the works a round gave them. The district's works are
listed for the district office that keeps them (its staff and its secretary) and for city-wide staff (the festival
secretary and the central secretariat, who receive the selections and monitor the districts). The policy council
and the specialised committees oversee through decisions, reports and the published results, not the work list;
the council (any role) also reads the jury's proposed awards before it approves them.
"""

from enum import StrEnum

from shared.permissions import (
    CENTRAL_SECRETARIAT,
    CITY_WIDE_STAFF,
    DISTRICT_OFFICE,
    DISTRICT_SECRETARY,
    PermissionTable,
    holder,
    rule,
)
from shared.principal import BodyKind, Principal, Role


class Capability(StrEnum):
    """What a signed-in person may ask of the evaluation service."""

    SEE_WORKS = "see_works"  # the works of a district, for its office (of every district for city-wide staff)
    MANAGE_TIER_1_ROUND = "manage_tier_1_round"  # open, preview the ranking, close: a district's round
    MANAGE_TIER_2_ROUND = "manage_tier_2_round"  # the same for the jury's city-wide round
    REOPEN_ROUND = "reopen_round"  # reopen a closed round (recorded with its reason)
    CONFIRM_RECEIPT = "confirm_receipt"  # take a category's district selections to the jury
    EVALUATE = "evaluate"  # see one's assigned works, save sheets, declare conflicts (assigned works only)
    READ_PROPOSALS = "read_proposals"  # the jury's proposed awards with their explanations, before approval


PERMISSIONS = PermissionTable(Capability, {
    Capability.SEE_WORKS: rule(CITY_WIDE_STAFF, DISTRICT_OFFICE),
    Capability.MANAGE_TIER_1_ROUND: rule(DISTRICT_SECRETARY),
    Capability.MANAGE_TIER_2_ROUND: rule(CENTRAL_SECRETARIAT),
    Capability.REOPEN_ROUND: rule(holder({BodyKind.FESTIVAL_SECRETARY}, {Role.SECRETARY})),
    Capability.CONFIRM_RECEIPT: rule(CENTRAL_SECRETARIAT),
    Capability.EVALUATE: rule(anyone_signed_in=True),
    # The council approves the results, so it reads what it signs; city-wide staff prepare and follow it.
    Capability.READ_PROPOSALS: rule(holder({BodyKind.POLICY_COUNCIL}), CITY_WIDE_STAFF),
})


def managing(tier: int) -> Capability:
    """The capability that manages a round of this tier."""
    return Capability.MANAGE_TIER_1_ROUND if tier == 1 else Capability.MANAGE_TIER_2_ROUND


def may_manage(principal: Principal, round_: dict) -> bool:
    """True when the principal manages this round (its tier, and its district at tier 1)."""
    return PERMISSIONS.may(principal, managing(round_["tier"]), district=round_["district"])


def visible_districts(principal: Principal) -> set[int] | None:
    """Districts whose works the principal may list; None means every district."""
    if PERMISSIONS.may(principal, Capability.SEE_WORKS):
        return None  # a city-wide holder: no district needed
    return {d for d in principal.districts() if PERMISSIONS.may(principal, Capability.SEE_WORKS, district=d)}
