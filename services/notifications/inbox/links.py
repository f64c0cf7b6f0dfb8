"""The page an inbox item concerns, decided when the item is written: the item keeps no copy of its event, so a
decision's id, a committee's code or an edition must be taken from the event then.

Committee members go to their committee's page of the decision (registry), the council and the festival secretary to
the decision's page for the council (registry), the council to the jury's proposals of an edition (evaluation)."""

from urllib.parse import quote

from shared.contracts.base import Event

COMMITTEE_CODE = "committee_code"  # the per-recipient value (Contact.extra) naming the recipient's committee
# Rules whose readers follow a decision across the districts and committees from the council's page of it.
COUNCIL_DECISION_RULES = frozenset({"decision_council_festival_secretary", "decision_overdue_committee_secretary",
                                    "decision_overdue_council"})


def item_link(event: Event, rule: str, extra: dict) -> tuple[str, str] | None:
    """(service, path) of the page an item of this event and rule concerns, for a recipient with these values."""
    decision_id = getattr(event, "decision_id", None)
    if rule == "awards_proposed":
        return "evaluation", f"/council/proposals/{quote(str(event.edition), safe='')}"
    if decision_id is None:
        return None
    if rule in COUNCIL_DECISION_RULES:
        return "registry", f"/council/decisions/{decision_id}"
    committee = extra.get(COMMITTEE_CODE) or getattr(event, "committee", None) or \
        next(iter(getattr(event, "committees", None) or []), None)
    if rule in ("decision_to_committees", "decision_overdue_committee") and committee:
        return "registry", f"/committee/decisions/{decision_id}?committee={quote(str(committee), safe='')}"
    return None
