"""What the desk offers the council, the central secretariat and committee members: links to their decision and
report pages, as far as the permissions table lets them."""

from services.registry.decisions.committee_pages import own_committees
from services.registry.permissions import PERMISSIONS, Capability
from shared.principal import Principal


def governance_links(principal: Principal) -> dict:
    """Which of the governing pages the person may use: issuing and following decisions, relaying them, the
    monitoring table, the city report, and the committees they answer decisions for."""
    return {"issues": PERMISSIONS.may(principal, Capability.ISSUE_DECISIONS),
            "follows": PERMISSIONS.may(principal, Capability.READ_ALL_DECISIONS),
            "relays": PERMISSIONS.may(principal, Capability.RELAY_DECISIONS),
            "monitors": PERMISSIONS.may(principal, Capability.SEE_MONITORING),
            "compiles": PERMISSIONS.may(principal, Capability.COMPILE_CITY_REPORTS),
            "committees": [m for m in principal.memberships if m.body in own_committees(principal)]}
