"""Who is asking: the signed-in principal, and the body kinds and roles that decide what they may do.

No web or JWT imports here: domain rules and permissions tables take a Principal without knowing where it came
from (a bearer token, a browser session or a test).
"""

from enum import StrEnum

from pydantic import BaseModel


class BodyKind(StrEnum):
    """Kinds of bodies in the festival's organisation (deploy/festival-structure.yaml uses these names)."""

    POLICY_COUNCIL = "policy_council"
    FESTIVAL_SECRETARY = "festival_secretary"
    SPECIALISED_COMMITTEE = "specialised_committee"
    JURY_COMMITTEE = "jury_committee"
    CENTRAL_SECRETARIAT = "central_secretariat"
    DISTRICT_SECRETARIAT = "district_secretariat"
    EXECUTIVE_COMMITTEE = "executive_committee"
    YOUNG_CITIZENS_COMMITTEE = "young_citizens_committee"
    SCIENTIFIC_COMMITTEE = "scientific_committee"
    NEIGHBOURHOOD_CENTRE = "neighbourhood_centre"


class Role(StrEnum):
    """Roles a person holds in a body."""

    CHAIR = "chair"
    SECRETARY = "secretary"
    MEMBER = "member"
    EVALUATOR = "evaluator"
    JUROR = "juror"
    STAFF = "staff"


# Bodies whose staff work city-wide (they may see every district).
CITY_WIDE_KINDS = frozenset({BodyKind.FESTIVAL_SECRETARY, BodyKind.CENTRAL_SECRETARIAT})
# The three committees inside every district secretariat: they evaluate tier 1.
DISTRICT_COMMITTEE_KINDS = frozenset(
    {BodyKind.EXECUTIVE_COMMITTEE, BodyKind.YOUNG_CITIZENS_COMMITTEE, BodyKind.SCIENTIFIC_COMMITTEE})
# The festival's committees above the districts (the jury is one of the four specialised committees).
FESTIVAL_COMMITTEE_KINDS = frozenset({BodyKind.SPECIALISED_COMMITTEE, BodyKind.JURY_COMMITTEE})


class Membership(BaseModel):
    """A role in a body, as carried in the token."""

    body: str
    kind: str
    role: str
    district: int | None = None


class Principal(BaseModel):
    """The signed-in person behind a request."""

    subject: str
    username: str
    name: str
    memberships: list[Membership]
    organisation: str | None = None  # set when the account speaks for a registered organisation

    def is_member(self, body: str, role: str | None = None) -> bool:
        """True when the person holds a role (any role when None) in the body."""
        return any(m.body == body and (role is None or m.role == role) for m in self.memberships)

    def holds(self, kinds: frozenset[str] | set[str] | None, roles: frozenset[str] | set[str] | None = None,
              district: int | None = None) -> bool:
        """True when the person holds one of `roles` (any when None) in a body of one of `kinds` (any when None),
        in `district` when given."""
        return any((kinds is None or m.kind in kinds) and (roles is None or m.role in roles)
                   and (district is None or m.district == district) for m in self.memberships)

    def is_city_wide(self) -> bool:
        """True for the festival secretary and central secretariat staff."""
        return self.holds(CITY_WIDE_KINDS)

    def districts(self) -> set[int]:
        """Districts this person works in."""
        return {m.district for m in self.memberships if m.district is not None}

    def is_staff_of_district(self, district: int) -> bool:
        """True for the district's own staff (city-wide staff are not district staff)."""
        return district in self.districts()

    def may_see_district(self, district: int) -> bool:
        """District staff see their district; city-wide staff see all."""
        return self.is_city_wide() or self.is_staff_of_district(district)
