"""Pure notification rules: who hears about which event, on which channels; a plan writes each address once."""

import uuid

from services.notifications.delivery.domain import EMAIL, INBOX, SMS
from services.notifications.rules.domain import (
    DEFAULT_RULES,
    STAFF,
    Audience,
    Contact,
    plan,
    rule_named,
    rules_for,
)
from services.notifications.templates.defaults import DEFAULTS
from shared.contracts import ALL_EVENTS
from shared.principal import FESTIVAL_COMMITTEE_KINDS, BodyKind, Role

EVERY_FLOW = {
    "submissions.work.received", "registry.decision.relayed", "registry.decision.overdue", "registry.report.filed",
    "evaluation.round.opened", "evaluation.assignment.made", "evaluation.work.advanced",
    "evaluation.work.not_advanced", "evaluation.results.published", "registry.member.appointed",
    "evaluation.awards.proposed", "registry.decision.issued", "registry.decision.committee_overdue",
}
CITIZEN = Contact(name="مریم کاظمی", mobile="09123456789", email="maryam@example.org", citizen=True)
STAFF_MEMBER = Contact(name="کارشناس", person_id=uuid.uuid4(), email="staff@example.org")


def test_the_default_rules_cover_every_flow_with_a_template_for_each_channel() -> None:
    assert {rule.event_type for rule in DEFAULT_RULES} == EVERY_FLOW
    known_types = {event.event_type() for event in ALL_EVENTS}
    for rule in DEFAULT_RULES:
        assert rule.event_type in known_types, rule.name
        for channel in rule.channels:
            assert (rule.name, channel) in DEFAULTS, (rule.name, channel)


def test_tracking_codes_results_and_duties_are_essential_courtesies_are_not() -> None:
    essential = {rule.name for rule in DEFAULT_RULES if rule.essential}
    assert {"work_received", "results_winner", "results_published", "decision_relayed"} <= essential
    assert {"member_appointed", "work_advanced", "work_not_advanced"}.isdisjoint(essential)


def test_reports_go_up_one_level_by_scope() -> None:
    assert [r.audience for r in rules_for("registry.report.filed", 7)] == [Audience.CENTRAL_SECRETARIAT]
    # The city report goes to the committees and to the council, which oversees the districts (issue #12).
    assert [r.audience for r in rules_for("registry.report.filed", None)] == [Audience.COMMITTEES, Audience.COUNCIL]
    assert [r.audience for r in rules_for("registry.decision.overdue", 7)] == [
        Audience.DISTRICT_SECRETARY, Audience.CENTRAL_SECRETARIAT, Audience.COUNCIL]


def test_a_decision_tells_the_committees_it_addresses_and_the_festival_secretary() -> None:
    # Issue #12: decisions to committees reached nobody; the festival secretary coordinates council and committees.
    assert [r.audience for r in rules_for("registry.decision.issued")] == [
        Audience.ADDRESSED_COMMITTEES, Audience.FESTIVAL_SECRETARY]
    assert all(set(r.channels) == {EMAIL, INBOX} and r.essential for r in rules_for("registry.decision.issued"))
    assert STAFF[Audience.FESTIVAL_SECRETARY].kinds == {BodyKind.FESTIVAL_SECRETARY}


def test_a_plan_writes_each_channel_and_address_once_and_skips_missing_contacts() -> None:
    rule = rule_named("work_received")
    no_email = Contact(name="علی", mobile="09120000000", citizen=True)
    planned = plan([(rule, [CITIZEN, CITIZEN, no_email])])
    assert sorted((p.channel, p.address) for p in planned) == [
        (EMAIL, "maryam@example.org"), (SMS, "09120000000"), (SMS, "09123456789")]


def test_a_winner_gets_the_personal_message_not_the_general_one() -> None:
    winner = Contact(name="برنده", mobile="09121111111", citizen=True, extra=(("award", {"place": "first"}),))
    same_person_other_work = Contact(name="برنده", mobile="09121111111", citizen=True)
    planned = plan([(rule_named("results_published"), [same_person_other_work]),
                    (rule_named("results_winner"), [winner])])
    assert [p.rule.name for p in planned] == ["results_winner"]


def test_staff_are_reached_in_their_inbox_by_person_id() -> None:
    planned = plan([(rule_named("decision_relayed"), [STAFF_MEMBER])])
    assert {(p.channel, p.address) for p in planned} == {
        (EMAIL, "staff@example.org"), (INBOX, str(STAFF_MEMBER.person_id))}


def test_staff_audiences_name_body_kinds_and_roles_of_the_shared_enums() -> None:
    assert STAFF[Audience.COMMITTEES].kinds == {"festival_secretary", "specialised_committee", "jury_committee"}
    assert STAFF[Audience.COMMITTEES].kinds == FESTIVAL_COMMITTEE_KINDS | {BodyKind.FESTIVAL_SECRETARY}
    assert STAFF[Audience.DISTRICT_SECRETARY].role == Role.SECRETARY and STAFF[Audience.DISTRICT_SECRETARY].in_district
    assert STAFF[Audience.CENTRAL_SECRETARIAT].kinds == {BodyKind.CENTRAL_SECRETARIAT}
    every_kind = set(BodyKind)
    assert all(staff.kinds <= every_kind for staff in STAFF.values())
