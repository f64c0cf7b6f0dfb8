"""Pure notification rules: who hears about which event, on which channels, and whether it may be skipped."""

import uuid
from dataclasses import dataclass
from enum import StrEnum

from services.notifications.delivery.domain import EMAIL, INBOX, SMS
from shared.principal import FESTIVAL_COMMITTEE_KINDS, BodyKind, Role


class Audience(StrEnum):
    """Who a rule addresses; each is resolved from the service's own projections."""

    SUBMITTER = "submitter"  # the citizen who submitted the work named by the event
    DISTRICT_SECRETARIAT = "district_secretariat"  # every member of the event's district secretariat
    DISTRICT_SECRETARY = "district_secretary"  # the district secretariat's secretary (all members if none)
    CENTRAL_SECRETARIAT = "central_secretariat"
    COMMITTEES = "committees"  # festival secretary, specialised committees and the jury
    COUNCIL = "council"  # every member of the policy council: chair, secretary and members
    FESTIVAL_SECRETARY = "festival_secretary"  # whoever holds the festival secretary's office
    ADDRESSED_COMMITTEES = "addressed_committees"  # every member of the committees a decision names
    EVALUATORS = "evaluators"  # the event's evaluator_ids
    PERSON = "person"  # the event's person_id
    WINNERS = "winners"  # submitters of the awarded works, personally
    EDITION_SUBMITTERS = "edition_submitters"  # everyone else who took part in the edition and category


@dataclass(frozen=True)
class Staff:
    """The members of bodies of some kinds (of the event's district when `in_district`), with one role if set."""

    kinds: frozenset[str]
    role: str | None = None
    in_district: bool = False


# The audiences made of staff, by the body kinds and roles of shared.principal (one list of kinds for all).
STAFF: dict[Audience, Staff] = {
    Audience.DISTRICT_SECRETARIAT: Staff(frozenset({BodyKind.DISTRICT_SECRETARIAT}), in_district=True),
    Audience.DISTRICT_SECRETARY: Staff(frozenset({BodyKind.DISTRICT_SECRETARIAT}), Role.SECRETARY, in_district=True),
    Audience.CENTRAL_SECRETARIAT: Staff(frozenset({BodyKind.CENTRAL_SECRETARIAT})),
    Audience.COMMITTEES: Staff(FESTIVAL_COMMITTEE_KINDS | {BodyKind.FESTIVAL_SECRETARY}),
    Audience.COUNCIL: Staff(frozenset({BodyKind.POLICY_COUNCIL})),
    Audience.FESTIVAL_SECRETARY: Staff(frozenset({BodyKind.FESTIVAL_SECRETARY})),
}


@dataclass(frozen=True)
class Rule:
    """An event type, an audience, the channels it is told on, and whether the message is essential."""

    name: str  # also the template's name
    event_type: str
    audience: Audience
    channels: tuple[str, ...]
    essential: bool
    description: str
    scope: str = "any"  # "district": only events about one district; "city": only city-wide ones

    def applies(self, district: int | None) -> bool:
        """True when the rule covers an event with this district (None: city-wide)."""
        return self.scope == "any" or (self.scope == "district") == (district is not None)


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("work_received", "submissions.work.received", Audience.SUBMITTER, (SMS, EMAIL), True,
         "The submitter gets the tracking code of their work."),
    Rule("decision_relayed", "registry.decision.relayed", Audience.DISTRICT_SECRETARIAT, (EMAIL, INBOX), True,
         "Every member of the district secretariat hears of a decision relayed to the district."),
    Rule("decision_to_committees", "registry.decision.issued", Audience.ADDRESSED_COMMITTEES, (EMAIL, INBOX), True,
         "Every member of a committee a decision addresses hears of it (and acknowledges for the committee)."),
    Rule("decision_council_festival_secretary", "registry.decision.issued", Audience.FESTIVAL_SECRETARY,
         (EMAIL, INBOX), True, "The festival secretary hears of every decision the policy council issues, to "
         "coordinate the council and the committees."),
    Rule("decision_overdue_district", "registry.decision.overdue", Audience.DISTRICT_SECRETARY,
         (SMS, EMAIL, INBOX), True, "The district's secretary is reminded of an unacknowledged decision."),
    Rule("decision_overdue_central", "registry.decision.overdue", Audience.CENTRAL_SECRETARIAT, (EMAIL, INBOX),
         True, "The central secretariat sees which district is overdue."),
    # The council oversees the districts: it sees each overdue one in its inbox (no mail per district and decision).
    Rule("decision_overdue_council", "registry.decision.overdue", Audience.COUNCIL, (INBOX,), True,
         "The policy council sees in its inbox which district is overdue."),
    Rule("decision_overdue_committee", "registry.decision.committee_overdue", Audience.ADDRESSED_COMMITTEES,
         (EMAIL, INBOX), True, "A committee's members are reminded of a decision it has not acknowledged."),
    Rule("decision_overdue_committee_secretary", "registry.decision.committee_overdue", Audience.FESTIVAL_SECRETARY,
         (INBOX,), True, "The festival secretary sees in the inbox which committee is overdue."),
    Rule("report_filed", "registry.report.filed", Audience.CENTRAL_SECRETARIAT, (EMAIL, INBOX), True,
         "A district's report reaches the central secretariat.", scope="district"),
    Rule("report_filed_city", "registry.report.filed", Audience.COMMITTEES, (EMAIL, INBOX), True,
         "The central secretariat's city-wide report reaches the committees and the festival secretary.",
         scope="city"),
    Rule("report_filed_council", "registry.report.filed", Audience.COUNCIL, (EMAIL, INBOX), True,
         "The central secretariat's city-wide report reaches the policy council.", scope="city"),
    Rule("round_opened", "evaluation.round.opened", Audience.EVALUATORS, (EMAIL, INBOX), True,
         "Evaluators of a round hear that it opened, with its deadline."),
    Rule("work_assigned", "evaluation.assignment.made", Audience.EVALUATORS, (INBOX,), True,
         "Evaluators see each work assigned to them in their inbox (no mail per work)."),
    Rule("work_advanced", "evaluation.work.advanced", Audience.SUBMITTER, (SMS, EMAIL), False,
         "The submitter hears their work advanced to the next tier."),
    Rule("work_not_advanced", "evaluation.work.not_advanced", Audience.SUBMITTER, (SMS, EMAIL), False,
         "The submitter hears their work did not advance."),
    Rule("awards_proposed", "evaluation.awards.proposed", Audience.COUNCIL, (EMAIL, INBOX), True,
         "The policy council hears the jury proposed a category's awards, to read them before approving."),
    Rule("results_winner", "evaluation.results.published", Audience.WINNERS, (SMS, EMAIL), True,
         "Winners hear their award personally."),
    Rule("results_published", "evaluation.results.published", Audience.EDITION_SUBMITTERS, (SMS, EMAIL), True,
         "Every other submitter of the edition and category hears the results are out."),
    Rule("member_appointed", "registry.member.appointed", Audience.PERSON, (EMAIL, INBOX), False,
         "A person hears of their appointment to a body."),
)

# Which rule's message wins when one address would get two messages about the same event.
_PRECEDENCE = {"results_winner": 0, "decision_overdue_district": 0}


def rules_for(event_type: str, district: int | None = None, rules: tuple[Rule, ...] = DEFAULT_RULES) -> list[Rule]:
    """The rules an event of this type (about this district, or city-wide) triggers, in order."""
    return [rule for rule in rules if rule.event_type == event_type and rule.applies(district)]


def rule_named(name: str, rules: tuple[Rule, ...] = DEFAULT_RULES) -> Rule | None:
    """A rule by name."""
    return next((rule for rule in rules if rule.name == name), None)


@dataclass(frozen=True)
class Contact:
    """Someone who can be addressed: a staff member (person_id) or a citizen (mobile, maybe email)."""

    name: str
    person_id: uuid.UUID | None = None
    mobile: str | None = None
    email: str | None = None
    citizen: bool = False
    extra: tuple[tuple[str, object], ...] = ()  # per-recipient template values (e.g. the award's place)


@dataclass(frozen=True)
class Planned:
    """One ledger row to write: a rule's message for one address on one channel."""

    rule: Rule
    channel: str
    address: str
    contact: Contact


def address_on(channel: str, contact: Contact) -> str | None:
    """Where a contact is reached on a channel, or None when they cannot be."""
    if channel == SMS:
        return contact.mobile
    if channel == EMAIL:
        return contact.email
    if channel == INBOX:
        return str(contact.person_id) if contact.person_id else None
    return None


def plan(pairs: list[tuple[Rule, list[Contact]]]) -> list[Planned]:
    """Every (channel, address) to write for an event, each once; the more specific rule wins a clash."""
    chosen: dict[tuple[str, str], Planned] = {}
    ordered = sorted(pairs, key=lambda pair: _PRECEDENCE.get(pair[0].name, 1))
    for rule, contacts in ordered:
        for contact in contacts:
            for channel in rule.channels:
                address = address_on(channel, contact)
                if address and (channel, address) not in chosen:
                    chosen[(channel, address)] = Planned(rule, channel, address, contact)
    return list(chosen.values())
