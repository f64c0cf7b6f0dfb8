"""Who may do what, as data: each service's permissions module is a table of capability -> rule built from these.

Routes, pages and consumers ask the same table (`table.require(principal, capability, district=...)`), and the
access tests read it to know what to expect from each role. No web imports: a refusal is a Refusal.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from shared.principal import BodyKind, Principal, Role
from shared.refusals import Refusal, forbidden


@dataclass(frozen=True)
class Holder:
    """One kind of holder: any of `roles` (all when None) in a body of one of `kinds` (any body when None, staff
    added kinds included); with `same_district`, only in the district the operation concerns."""

    kinds: frozenset[str] | None
    roles: frozenset[str] | None = None
    same_district: bool = False

    def matches(self, principal: Principal, district: int | None) -> bool:
        """True when the principal holds such a role (in `district` when the holder is district-bound)."""
        if self.same_district and district is None:
            return False
        return principal.holds(self.kinds, self.roles, district if self.same_district else None)


def holder(kinds: Iterable[str] | None, roles: Iterable[str] | None = None, *, same_district: bool = False) -> Holder:
    """A Holder from any iterables of kinds and roles (None: any)."""
    return Holder(frozenset(kinds) if kinds is not None else None, frozenset(roles) if roles is not None else None,
                  same_district)


@dataclass(frozen=True)
class Rule:
    """Who may exercise a capability: any of the holders, organisation accounts when allowed, or anyone signed
    in. Nobody when empty (deny by default)."""

    holders: tuple[Holder, ...] = ()
    organisation_accounts: bool = False
    anyone_signed_in: bool = False

    def allows(self, principal: Principal, district: int | None = None) -> bool:
        """True when this rule lets the principal act (on `district` when the operation concerns one)."""
        if self.anyone_signed_in or (self.organisation_accounts and principal.organisation):
            return True
        return any(h.matches(principal, district) for h in self.holders)


def rule(*holders: Holder, organisation_accounts: bool = False, anyone_signed_in: bool = False) -> Rule:
    """A Rule from holders."""
    return Rule(tuple(holders), organisation_accounts, anyone_signed_in)


# Common holders, named once.
CITY_WIDE_STAFF = holder({BodyKind.FESTIVAL_SECRETARY, BodyKind.CENTRAL_SECRETARIAT})
ANYONE_OF_THE_DISTRICT = holder(None, same_district=True)
DISTRICT_SECRETARY = holder({BodyKind.DISTRICT_SECRETARIAT}, {Role.SECRETARY}, same_district=True)
# The district's festival office: its secretariat's staff and secretary. Not the members of its committees: they
# are evaluators, not district staff, and see only the works a round gives them.
DISTRICT_OFFICE = holder({BodyKind.DISTRICT_SECRETARIAT}, {Role.STAFF, Role.SECRETARY}, same_district=True)
FESTIVAL_SECRETARY = holder({BodyKind.FESTIVAL_SECRETARY})
CENTRAL_SECRETARIAT = holder({BodyKind.CENTRAL_SECRETARIAT})


class PermissionTable:
    """A service's capabilities and their rules; every capability must have a rule."""

    def __init__(self, capabilities: type[StrEnum], rules: Mapping[StrEnum, Rule]) -> None:
        missing = set(capabilities) - set(rules)
        if missing:
            raise ValueError(f"capabilities without a rule: {sorted(missing)}")
        self.capabilities, self.rules = capabilities, dict(rules)

    def may(self, principal: Principal, capability: StrEnum, *, district: int | None = None) -> bool:
        """True when the principal may exercise the capability (on `district` when it concerns one)."""
        return self.rules[capability].allows(principal, district)

    def require(self, principal: Principal, capability: StrEnum, *, district: int | None = None,
                refusal: Refusal | None = None) -> None:
        """Refuse (forbidden, or the given refusal, e.g. not found so nothing leaks) unless allowed."""
        if not self.may(principal, capability, district=district):
            raise refusal or forbidden()
