"""Pure evaluation rules (so far: which works a person may see)."""

from shared.auth import Principal

# A received work waits for its district's tier-1 round.
AWAITING_TIER_1 = "awaiting_tier1"


def visible_districts(principal: Principal) -> set[int] | None:
    """Districts whose works the person may list; None means every district."""
    return None if principal.is_city_wide() else principal.districts()
